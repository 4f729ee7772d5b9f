package io.vi4j.api.plugin;

import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A component's configuration: a small immutable value (usually a record) that holds no native memory.
 * The config's {@code type} field names the factory that registered the spec's class.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
public interface ComponentSpec {}

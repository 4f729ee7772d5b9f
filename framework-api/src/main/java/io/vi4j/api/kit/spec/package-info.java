/**
 * Validation helpers for component specs: range checks with the field's name in the message, so that a
 * plugin's config errors read like vi4j's own ({@code hidden[0] must be a layer width of at least 1}).
 */
package io.vi4j.api.kit.spec;

/** In-memory datasets of vectors, and the sources that load them. */
package io.vi4j.api.data;

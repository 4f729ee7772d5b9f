/** File helpers: atomic writes, so that a crash never leaves a half-written output behind. */
package io.vi4j.core.io;

/**
 * File helpers: atomic writes, so that a crash never leaves a half-written output behind, recursive
 * deletes, and {@link io.vi4j.core.io.Printable}, which makes text read from input safe to print in a
 * one-line error message.
 */
package io.vi4j.core.io;

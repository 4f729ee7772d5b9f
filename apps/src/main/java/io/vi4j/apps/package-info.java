/** The {@code vi4j} command line: {@code train}, {@code evaluate} and {@code sample}. */
package io.vi4j.apps;

/** The {@code vi4j} command line: {@code train}, {@code evaluate}, {@code sample}, ..., and {@code plugins}. */
package io.vi4j.apps;

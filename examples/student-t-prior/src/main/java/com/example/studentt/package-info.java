/**
 * A Student-t prior for vi4j, written as a third party writes a plugin: against vi4j's API and plugin kit
 * only, built and tested on its own, loaded with {@code vi4j --plugins}.
 */
package com.example.studentt;

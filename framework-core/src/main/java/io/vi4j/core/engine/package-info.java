/** Engine start-up: offline native libraries, device choice, seeding. */
package io.vi4j.core.engine;

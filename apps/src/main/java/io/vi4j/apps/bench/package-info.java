/** Benchmarks run as plain Java programs (see apps/bench/*.sh and docs/benchmarks.md). */
package io.vi4j.apps.bench;

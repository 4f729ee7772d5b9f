/** Assembling models from specs and saving what a run produces: configs, metrics, parameters. */
package io.vi4j.core.run;

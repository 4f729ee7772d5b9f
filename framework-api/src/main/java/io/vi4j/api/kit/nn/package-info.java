/** Networks shared by plugins: multilayer perceptrons on DJL blocks, initialized as PyTorch does. */
package io.vi4j.api.kit.nn;

/**
 * A third-party-style plugin: a Laplace prior in a package and jar that vi4j's core never names. It
 * shows what a plugin author writes: a spec, a component, a {@code Vi4jPlugin} module and one services
 * file. There is no closed form for {@code KL(Gaussian ‖ Laplace)}, so models using it exercise the
 * Monte-Carlo KL path.
 */
package com.example.vi4j.laplace;

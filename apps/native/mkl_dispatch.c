/*
 * vi4j's MKL dispatch shim, preloaded by the vi4j launcher on AMD processors (docs/performance.md).
 *
 * libtorch links Intel's MKL for its matrix products. MKL picks its kernels by asking whether the
 * processor is Intel's (mkl_serv_intel_cpu_true) before it looks at the processor's features: on an AMD
 * processor it takes a generic AVX2 path even where AVX-512 is there. On the 2-core AMD EPYC (Zen 5)
 * machine the reference VAE's matrix products ran at half the speed of the same products through
 * OpenBLAS. With this function preloaded, MKL chooses its kernels by the processor's features (cpuid),
 * as it does on Intel's processors: AVX-512 where the processor has it, AVX2 where it does not.
 */
int mkl_serv_intel_cpu_true(void) {
  return 1;
}

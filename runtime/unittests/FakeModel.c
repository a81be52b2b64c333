/*===- FakeModel.c - Hand-written models for CudaRuntimeTest ----*- C -*-===*\
|*                                                                            *|
|* Part of the longnet-mlir project.                                          *|
|*                                                                            *|
|* Stands in for what our compiler emits: a manifest and packed functions    *|
|* (args[0] the results block, then one descriptor per argument). Compiled   *|
|* once per FAKE_MODEL_* variant.                                             *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))

/* A rank-1 and a rank-2 memref descriptor. */
typedef struct {
  float *allocated;
  float *aligned;
  int64_t offset;
  int64_t sizes[1];
  int64_t strides[1];
} MemRef1;

typedef struct {
  float *allocated;
  float *aligned;
  int64_t offset;
  int64_t sizes[2];
  int64_t strides[2];
} MemRef2;

static inline float *newBuffer(int64_t count) {
  return (float *)malloc((size_t)(count > 0 ? count : 1) * sizeof(float));
}

static inline MemRef1 contiguous1(float *buffer, int64_t size) {
  MemRef1 m = {buffer, buffer, 0, {size}, {1}};
  return m;
}

#if defined(FAKE_MODEL_CPU)

EXPORT const char longnet_model_manifest[] =
    "longnet-model 1\n"
    "target cpu\n"
    "\n"
    "# x + 1, with a reference variant\n"
    "entry main fake_main\n"
    "arg f32 2x3\n"
    "result f32 2x3\n"
    "reference fake_main_reference\n"
    "end\n"
    "entry transpose fake_transpose   # a strided result\n"
    "arg f32 2x3\n"
    "result f32 3x2\n"
    "end\n"
    "entry pair fake_pair\n"
    "arg f32 4\n"
    "result f32 4\n"
    "result f32 4\n"
    "end\n"
    "entry identity fake_identity\n"
    "arg f32 4\n"
    "result f32 4\n"
    "end\n"
    "entry constant fake_constant\n"
    "result f64 scalar\n"
    "end\n"
    "entry dynamic fake_dynamic\n"
    "arg f32 ?x2\n"
    "result f32 ?x2\n"
    "end\n"
    "entry badshape fake_badshape\n"
    "arg f32 4\n"
    "result f32 4\n"
    "end\n";

/* Both variants of main add 1; the reference goes through double. */
EXPORT void fake_main(void **args) {
  MemRef2 *result = (MemRef2 *)args[0];
  const MemRef2 *x = (const MemRef2 *)args[1];
  float *out = newBuffer(6);
  for (int i = 0; i < 6; ++i)
    out[i] = x->aligned[x->offset + i] + 1.0f;
  MemRef2 m = {out, out, 0, {2, 3}, {3, 1}};
  *result = m;
}

EXPORT void fake_main_reference(void **args) {
  MemRef2 *result = (MemRef2 *)args[0];
  const MemRef2 *x = (const MemRef2 *)args[1];
  float *out = newBuffer(6);
  for (int i = 0; i < 6; ++i)
    out[i] = (float)((double)x->aligned[x->offset + i] + 1.0);
  MemRef2 m = {out, out, 0, {2, 3}, {3, 1}};
  *result = m;
}

/* A 3x2 view with strides (1, 3) and offset 1 of a 2x3 copy. */
EXPORT void fake_transpose(void **args) {
  MemRef2 *result = (MemRef2 *)args[0];
  const MemRef2 *x = (const MemRef2 *)args[1];
  float *buffer = newBuffer(7);
  buffer[0] = -1.0f;
  for (int i = 0; i < 6; ++i)
    buffer[1 + i] = x->aligned[x->offset + i];
  MemRef2 m = {buffer, buffer, 1, {3, 2}, {1, 3}};
  *result = m;
}

/* Two results that share one buffer: 2 * x. */
EXPORT void fake_pair(void **args) {
  MemRef1 *results = (MemRef1 *)args[0];
  const MemRef1 *x = (const MemRef1 *)args[1];
  float *out = newBuffer(4);
  for (int i = 0; i < 4; ++i)
    out[i] = 2.0f * x->aligned[x->offset + i];
  results[0] = contiguous1(out, 4);
  results[1] = contiguous1(out, 4);
}

/* Writes into its argument and returns it. */
EXPORT void fake_identity(void **args) {
  MemRef1 *result = (MemRef1 *)args[0];
  MemRef1 *x = (MemRef1 *)args[1];
  x->aligned[x->offset] = 42.0f;
  *result = *x;
}

/* A constant global, as memref.get_global returns it. */
static const double kConstant = 2.5;
EXPORT void fake_constant(void **args) {
  struct {
    void *allocated;
    const double *aligned;
    int64_t offset;
  } *result = args[0];
  result->allocated = (void *)(uintptr_t)0xdeadbeef;
  result->aligned = &kConstant;
  result->offset = 0;
}

/* 3 * x for x of shape ?x2. */
EXPORT void fake_dynamic(void **args) {
  MemRef2 *result = (MemRef2 *)args[0];
  const MemRef2 *x = (const MemRef2 *)args[1];
  int64_t rows = x->sizes[0];
  float *out = newBuffer(rows * 2);
  for (int64_t i = 0; i < rows * 2; ++i)
    out[i] = 3.0f * x->aligned[x->offset + i];
  MemRef2 m = {out, out, 0, {rows, 2}, {2, 1}};
  *result = m;
}

/* Returns 5 elements where the manifest says 4. */
EXPORT void fake_badshape(void **args) {
  MemRef1 *result = (MemRef1 *)args[0];
  *result = contiguous1(newBuffer(5), 5);
}

#elif defined(FAKE_MODEL_CUDA)

void *mgpuStreamCreate(void);
void mgpuStreamSynchronize(void *stream);
void mgpuStreamDestroy(void *stream);
void *mgpuMemAlloc(uint64_t bytes, void *stream, _Bool isHostShared);
void mgpuMemcpy(void *dst, void *src, size_t bytes, void *stream);

EXPORT const char longnet_model_manifest[] = "longnet-model 1\n"
                                             "target cuda\n"
                                             "chip sm_90\n"
                                             "entry main fake_copy\n"
                                             "arg f32 4\n"
                                             "result f32 4\n"
                                             "reference fake_copy_reference\n"
                                             "end\n";

/* A device copy of x, as gpu-to-llvm lowers gpu.alloc and gpu.memcpy. */
EXPORT void fake_copy(void **args) {
  MemRef1 *result = (MemRef1 *)args[0];
  const MemRef1 *x = (const MemRef1 *)args[1];
  void *stream = mgpuStreamCreate();
  float *out = (float *)mgpuMemAlloc(4 * sizeof(float), stream, 0);
  mgpuMemcpy(out, x->aligned + x->offset, 4 * sizeof(float), stream);
  mgpuStreamSynchronize(stream);
  mgpuStreamDestroy(stream);
  *result = contiguous1(out, 4);
}

EXPORT void fake_copy_reference(void **args) {
  MemRef1 *result = (MemRef1 *)args[0];
  const MemRef1 *x = (const MemRef1 *)args[1];
  float *out = newBuffer(4);
  memcpy(out, x->aligned + x->offset, 4 * sizeof(float));
  *result = contiguous1(out, 4);
}

#elif defined(FAKE_MODEL_MALFORMED)

EXPORT const char longnet_model_manifest[] = "longnet-model 1\n"
                                             "target cpu\n"
                                             "entry main fake_main\n"
                                             "arg f33 4\n"
                                             "end\n";

#elif defined(FAKE_MODEL_MISSING_SYMBOL)

EXPORT const char longnet_model_manifest[] = "longnet-model 1\n"
                                             "target cpu\n"
                                             "entry main fake_absent\n"
                                             "end\n";

#elif defined(FAKE_MODEL_NO_MANIFEST)

EXPORT int not_a_model = 1;

#else
#error "define one FAKE_MODEL_* variant"
#endif

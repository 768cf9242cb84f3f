import CMalloc

/// Keeps freed memory in the process for reuse. Kernels allocate their output buffers per call;
/// with glibc's defaults a buffer over 128 KiB (a 1024 × 64 float activation is 256 KiB) is
/// mapped fresh and unmapped on free, so every call pays page faults and zeroing for it:
/// over a third of an MLP's time at batch 1024. Raising the mmap and trim thresholds makes
/// those buffers come back from malloc's free lists instead, as onnxruntime's arena does.
/// Applied once, when the first model loads; a process-wide setting, harmless to other code.
enum AllocatorTuning {
    static let applied: Void = {
        #if os(Linux)
        _ = mallopt(M_MMAP_THRESHOLD, 64 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, 256 << 20)
        #endif
    }()
}

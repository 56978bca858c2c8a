using System.Runtime.CompilerServices;

// Kernels write every scratch value they read: stack buffers need no zeroing.
[module: SkipLocalsInit]

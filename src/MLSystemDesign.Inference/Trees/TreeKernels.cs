using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace MLSystemDesign.Inference.Trees;

/// <summary>
/// The tree kernels: which one runs (<see cref="ResolveRow"/>, <see cref="ResolveBatch"/>) and the dispatch to the walker
/// families (<see cref="ScalarTreeWalks"/>, <see cref="Avx2TreeWalks"/>, <see cref="Avx512TreeWalks"/>,
/// <see cref="RefillTreeWalks"/>, <see cref="Refill8TreeWalks"/>; one step in <see cref="TreeSteps"/>). Each kernel adds the leaf values a row reaches to per-target sums; the caller turns sums into
/// margins. All kernels read the same <see cref="TreeLayout"/>, whose compiler has checked every feature index and child
/// offset, so the kernels read without bounds checks.
/// </summary>
/// <remarks>
/// One step of a walk, per lane: fetch the node's packed word and threshold, fetch the row's feature, and move to
/// <c>index + 1</c> (left) when <c>x &lt;= threshold</c> or when <c>x</c> is NaN and the node's sign bit says missing
/// goes left; otherwise move <c>delta</c> nodes on (right). A leaf has delta 0 and is never left, so further steps leave
/// the lane where it is and its value (kept in the threshold slot) is read at the end: a fixed step count equal to the
/// depth is enough, and the kernels stop early once a whole vector of lanes has stopped moving. The refill kernel
/// instead gives a lane the next tree's root as soon as it reaches a leaf, so no lane idles until the queue is empty.
/// </remarks>
internal static unsafe class TreeKernels
{
    /// <summary>Rows per batch block: the accumulators of one block live on the stack.</summary>
    public const int BlockRows = 64;

    public static bool IsSupported(TreeKernel kernel) => kernel switch
    {
        TreeKernel.Scalar or TreeKernel.Interleaved or TreeKernel.Auto => true,
        TreeKernel.Vector128 => Vector128.IsHardwareAccelerated,
        TreeKernel.Avx2Gather or TreeKernel.Avx2Permute => Avx2.IsSupported,
        TreeKernel.Avx512 or TreeKernel.Avx512Refill or TreeKernel.Avx512Refill2 => Avx512F.IsSupported && Avx2.IsSupported,
        TreeKernel.Avx512Refill8 => Avx512F.VL.IsSupported && Avx2.IsSupported,
        _ => false,
    };

    /// <summary>Resolves <see cref="TreeKernel.Auto"/> for one row: the choice measured fastest (docs/benchmarks.md): 8-lane refill walks on AVX-512VL, 16-lane ones on AVX-512F, else AVX2 (features by permute up to 8), else the 128-bit walk (Arm64 NEON, SSE), else scalar.</summary>
    public static TreeKernel ResolveRow(TreeKernel requested, TreeLayout layout)
    {
        if (requested != TreeKernel.Auto)
        {
            return IsSupported(requested) && (requested != TreeKernel.Avx2Permute || layout.Width <= 8) ? requested : TreeKernel.Scalar;
        }

        if (Avx512F.VL.IsSupported && Avx2.IsSupported)
        {
            return TreeKernel.Avx512Refill8;
        }

        if (Avx512F.IsSupported && Avx2.IsSupported)
        {
            return TreeKernel.Avx512Refill;
        }

        if (Avx2.IsSupported)
        {
            return layout.Width <= 8 ? TreeKernel.Avx2Permute : TreeKernel.Avx2Gather;
        }

        if (Vector128.IsHardwareAccelerated)
        {
            return TreeKernel.Vector128; // Arm64 (NEON) and x64 without AVX2 (SSE)
        }

        return TreeKernel.Scalar; // measured faster than the interleaved walk, whose fixed step count wastes steps
    }

    /// <summary>Resolves <see cref="TreeKernel.Auto"/> for batches: four rows at a time with lane refill on AVX-512, else rows in AVX2 lanes, else four rows in 128-bit lanes (measured: docs/benchmarks.md).</summary>
    public static TreeKernel ResolveBatch(TreeKernel requested)
    {
        if (requested is TreeKernel.Scalar or TreeKernel.Interleaved)
        {
            return requested;
        }

        if (requested == TreeKernel.Vector128)
        {
            return Vector128.IsHardwareAccelerated ? requested : TreeKernel.Scalar;
        }

        if (requested is TreeKernel.Auto or TreeKernel.Avx512Refill8 && Avx512F.VL.IsSupported && Avx2.IsSupported)
        {
            return TreeKernel.Avx512Refill8;
        }

        if (requested is TreeKernel.Auto or TreeKernel.Avx512Refill or TreeKernel.Avx512Refill2 && Avx512F.IsSupported && Avx2.IsSupported)
        {
            return requested == TreeKernel.Avx512Refill2 ? requested : TreeKernel.Avx512Refill;
        }

        return Avx2.IsSupported ? TreeKernel.Avx2Gather : Vector128.IsHardwareAccelerated ? TreeKernel.Vector128 : TreeKernel.Scalar;
    }

    // ---------------------------------------------------------------- single row

    /// <summary>Adds, for one row, every tree's leaf to <paramref name="sums"/>[target].</summary>
    public static void Row(TreeKernel kernel, TreeLayout layout, float* x, float* sums)
    {
        switch (kernel)
        {
            case TreeKernel.Avx512Refill:
                RefillTreeWalks.RowRefill(layout, x, sums, four: true);
                break;
            case TreeKernel.Avx512Refill2:
                RefillTreeWalks.RowRefill(layout, x, sums, four: false);
                break;
            case TreeKernel.Avx512Refill8:
                Refill8TreeWalks.RowRefill8(layout, x, sums);
                break;
            case TreeKernel.Avx512:
                Avx512TreeWalks.RowAvx512(layout, x, sums);
                break;
            case TreeKernel.Avx2Gather:
                Avx2TreeWalks.RowAvx2(layout, x, sums, permute: false);
                break;
            case TreeKernel.Avx2Permute:
                Avx2TreeWalks.RowAvx2(layout, x, sums, permute: true);
                break;
            case TreeKernel.Vector128:
                Vector128TreeWalks.RowVector128(layout, x, sums);
                break;
            case TreeKernel.Interleaved:
                ScalarTreeWalks.RowInterleaved(layout, x, sums);
                break;
            default:
                ScalarTreeWalks.RowScalar(layout, x, sums);
                break;
        }
    }


    // ---------------------------------------------------------------- batch

    /// <summary>Adds, for <paramref name="rows"/> rows (at most <see cref="BlockRows"/>), every tree's leaf to <c>sums[row * targets + target]</c>.</summary>
    public static void Block(TreeKernel kernel, TreeLayout layout, float* x, int rows, float* sums)
    {
        var done = 0;
        if (kernel == TreeKernel.Avx512Refill8)
        {
            done = rows - (rows % 4);
            for (var r = 0; r < done; r += 4)
            {
                Refill8TreeWalks.BlockRefill8(layout, x + ((long)r * layout.Width), sums + ((long)r * layout.Targets));
            }

            for (; done < rows; done++)
            {
                Refill8TreeWalks.RowRefill8(layout, x + ((long)done * layout.Width), sums + ((long)done * layout.Targets));
            }
        }
        else if (kernel is TreeKernel.Avx512Refill or TreeKernel.Avx512Refill2)
        {
            done = kernel == TreeKernel.Avx512Refill ? rows - (rows % 4) : 0;
            for (var r = 0; r < done; r += 4)
            {
                RefillTreeWalks.BlockRefill4(layout, x + ((long)r * layout.Width), sums + ((long)r * layout.Targets));
            }

            for (; done + 2 <= rows; done += 2)
            {
                RefillTreeWalks.BlockRefill(layout, x + ((long)done * layout.Width), sums + ((long)done * layout.Targets));
            }

            if (done < rows)
            {
                RefillTreeWalks.RowRefill(layout, x + ((long)done * layout.Width), sums + ((long)done * layout.Targets), kernel == TreeKernel.Avx512Refill);
                done = rows;
            }
        }
        else if (kernel == TreeKernel.Avx2Gather)
        {
            done = rows - (rows % 16);
            for (var r = 0; r < done; r += 16)
            {
                Avx2TreeWalks.BlockAvx2(layout, x + ((long)r * layout.Width), sums + ((long)r * layout.Targets));
            }
        }
        else if (kernel == TreeKernel.Vector128)
        {
            done = rows - (rows % 4);
            for (var r = 0; r < done; r += 4)
            {
                Vector128TreeWalks.BlockVector128(layout, x + ((long)r * layout.Width), sums + ((long)r * layout.Targets));
            }

            for (; done < rows; done++)
            {
                Vector128TreeWalks.RowVector128(layout, x + ((long)done * layout.Width), sums + ((long)done * layout.Targets));
            }
        }
        else if (kernel == TreeKernel.Interleaved)
        {
            done = rows - (rows % 4);
            for (var r = 0; r < done; r += 4)
            {
                ScalarTreeWalks.BlockInterleaved(layout, x + ((long)r * layout.Width), sums + ((long)r * layout.Targets));
            }
        }

        for (var r = done; r < rows; r++)
        {
            ScalarTreeWalks.RowScalar(layout, x + ((long)r * layout.Width), sums + ((long)r * layout.Targets));
        }
    }

}

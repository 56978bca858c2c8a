using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MLSystemDesign.Inference.Trees;

/// <summary>One step of a walk, shared by the fixed-step walkers: scalar, 4, 8 and 16 lanes.</summary>
internal static unsafe class TreeSteps
{
    /// <summary>One branch-free step of one walk: the next node index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Step(int index, float value, int packed, float threshold, int featureBits, int deltaMask)
    {
        // Left when x <= t (false for NaN), or when x is NaN and the sign bit says missing goes left; never at a leaf (offset 0).
        var delta = (packed >> featureBits) & deltaMask;
        var left = (value <= threshold | (float.IsNaN(value) & packed < 0)) & delta != 0;
        return index + (left ? 1 : delta);
    }

    /// <summary>The step of 8 lanes: 1 where the lane goes left, its right offset where it goes right (0 on a leaf).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<int> StepVector(Vector256<float> value, Vector256<float> threshold, Vector256<int> packed, int featureBits, Vector256<int> deltaMask, Vector256<int> one)
    {
        var lessOrEqual = Vector256.LessThanOrEqual(value, threshold).AsInt32();          // all-ones lanes: x <= t (NaN: no)
        var missing = ~Vector256.Equals(value, value).AsInt32();                          // all-ones lanes: x is NaN
        var missingLeft = Vector256.ShiftRightArithmetic(packed, 31);                     // all-ones lanes: sign bit set
        var delta = Vector256.ShiftRightArithmetic(packed, featureBits) & deltaMask;
        var left = (lessOrEqual | (missing & missingLeft)) & ~Vector256.Equals(delta, Vector256<int>.Zero); // a leaf (offset 0) stays
        return Vector256.ConditionalSelect(left, one, delta);
    }

    /// <summary>The step of 16 lanes; see the 8-lane overload.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<int> StepVector(Vector512<float> value, Vector512<float> threshold, Vector512<int> packed, int featureBits, Vector512<int> deltaMask, Vector512<int> one)
    {
        var lessOrEqual = Vector512.LessThanOrEqual(value, threshold).AsInt32();
        var missing = ~Vector512.Equals(value, value).AsInt32();
        var missingLeft = Vector512.ShiftRightArithmetic(packed, 31);
        var delta = Vector512.ShiftRightArithmetic(packed, featureBits) & deltaMask;
        var left = (lessOrEqual | (missing & missingLeft)) & ~Vector512.Equals(delta, Vector512<int>.Zero);
        return Vector512.ConditionalSelect(left, one, delta);
    }

    /// <summary>The step of 4 lanes (the 128-bit rung); see the 8-lane overload.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<int> StepVector(Vector128<float> value, Vector128<float> threshold, Vector128<int> packed, int featureBits, Vector128<int> deltaMask, Vector128<int> one)
    {
        var lessOrEqual = Vector128.LessThanOrEqual(value, threshold).AsInt32();
        var missing = ~Vector128.Equals(value, value).AsInt32();
        var missingLeft = Vector128.ShiftRightArithmetic(packed, 31);
        var delta = Vector128.ShiftRightArithmetic(packed, featureBits) & deltaMask;
        var left = (lessOrEqual | (missing & missingLeft)) & ~Vector128.Equals(delta, Vector128<int>.Zero);
        return Vector128.ConditionalSelect(left, one, delta);
    }
}

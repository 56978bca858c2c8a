using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using MLSystemDesign.Models;

namespace MLSystemDesign.Inference;

/// <summary>Turns margins into the outputs a signature names, for one row or a row-major block of rows, without allocating.</summary>
internal sealed class OutputHead
{
    /// <summary>The most rows <see cref="ApplyBlock"/> takes at once (its scratch lives on the stack).</summary>
    public const int MaxBlockRows = 256;

    private readonly ModelTask _task;
    private readonly OutputTransform _transform;
    private readonly int _targets;
    private readonly float _negSlope;
    private readonly float _negOffset;
    private readonly float[] _classNegSlope;
    private readonly float[] _classNegOffset;

    public OutputHead(ModelSignature signature, OutputTransform transform, int targets)
    {
        _task = signature.Task;
        _transform = transform;
        _targets = targets;

        // Platt: p = 1 / (1 + exp(slope * m + offset)) = sigmoid(-slope * m - offset).
        _negSlope = transform.Kind == OutputTransformKind.Platt ? (float)-transform.Platt.Slope : 1f;
        _negOffset = transform.Kind == OutputTransformKind.Platt ? (float)-transform.Platt.Offset : 0f;
        var calibrations = transform.ClassCalibrations ?? [];
        _classNegSlope = calibrations.Select(c => (float)-c.Slope).ToArray();
        _classNegOffset = calibrations.Select(c => (float)-c.Offset).ToArray();
    }

    public int Targets => _targets;

    /// <summary>Writes the outputs of one row (regression and binary outputs in scalar code: one value needs no vector call).</summary>
    public void Apply(ReadOnlySpan<float> margins, Span<float> output)
    {
        switch (_task)
        {
            case ModelTask.Regression:
                output[0] = margins[0];
                return;
            case ModelTask.BinaryClassification:
                var m = margins[0];
                output[0] = m;
                output[1] = _transform.Kind switch
                {
                    OutputTransformKind.Sigmoid => 1f / (1f + MathF.Exp(-m)),
                    OutputTransformKind.Platt => 1f / (1f + MathF.Exp(-((_negSlope * m) + _negOffset))),
                    _ => m,
                };
                return;
            default:
                ApplyClasses(margins[.._targets], output[.._targets]);
                return;
        }
    }

    /// <summary>Whether the transform needs the margins as they are (no head work beyond a copy).</summary>
    public bool IsCopy => _task == ModelTask.Regression || (_task == ModelTask.MulticlassClassification && _transform.Kind == OutputTransformKind.Identity);

    /// <summary>Writes the outputs of <paramref name="rows"/> rows (at most <see cref="MaxBlockRows"/>).</summary>
    public void ApplyBlock(ReadOnlySpan<float> margins, Span<float> output, int rows)
    {
        switch (_task)
        {
            case ModelTask.Regression:
                margins[..rows].CopyTo(output);
                return;
            case ModelTask.BinaryClassification:
                var done = Avx512F.IsSupported ? BinaryBlock512(margins, output, rows) : !Vector256.IsHardwareAccelerated && (Sse.IsSupported || AdvSimd.Arm64.IsSupported) ? BinaryBlock128(margins, output, rows) : 0;
                if (done == rows)
                {
                    return;
                }

                margins = margins[done..];
                output = output[(2 * done)..];
                rows -= done;
                Span<float> p = stackalloc float[MaxBlockRows];
                p = p[..rows];
                var m = margins[..rows];
                switch (_transform.Kind)
                {
                    case OutputTransformKind.Sigmoid:
                        TensorPrimitives.Sigmoid(m, p);
                        break;
                    case OutputTransformKind.Platt:
                        TensorPrimitives.Multiply(m, _negSlope, p);
                        TensorPrimitives.Add(p, _negOffset, p);
                        TensorPrimitives.Sigmoid(p, p);
                        break;
                    default:
                        m.CopyTo(p);
                        break;
                }

                for (var r = 0; r < rows; r++)
                {
                    output[2 * r] = m[r];
                    output[(2 * r) + 1] = p[r];
                }

                return;
            default:
                for (var r = 0; r < rows; r++)
                {
                    ApplyClasses(margins.Slice(r * _targets, _targets), output.Slice(r * _targets, _targets));
                }

                return;
        }
    }

    /// <summary>
    /// Binary outputs 16 rows at a time: the probability of each margin in one vector expression, then margins and
    /// probabilities interleaved into <c>[score, probability]</c> pairs by two two-register permutes (lanes 0–7 and
    /// 8–15 of each). Returns the rows done; the caller finishes the last partial vector.
    /// </summary>
    private int BinaryBlock512(ReadOnlySpan<float> margins, Span<float> output, int rows)
    {
        var slope = Vector512.Create(_negSlope);
        var offset = Vector512.Create(_negOffset);
        var pairsLow = Vector512.Create(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
        var pairsHigh = Vector512.Create(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
        ref var m0 = ref MemoryMarshal.GetReference(margins);
        ref var o0 = ref MemoryMarshal.GetReference(output);
        var r = 0;
        for (; r + 16 <= rows; r += 16)
        {
            var m = Vector512.LoadUnsafe(ref m0, (nuint)r);
            var p = _transform.Kind switch
            {
                OutputTransformKind.Sigmoid => Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-m)),
                OutputTransformKind.Platt => Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-((slope * m) + offset))),
                _ => m,
            };
            Avx512F.PermuteVar16x32x2(m, pairsLow, p).StoreUnsafe(ref o0, (nuint)(2 * r));
            Avx512F.PermuteVar16x32x2(m, pairsHigh, p).StoreUnsafe(ref o0, (nuint)((2 * r) + 16));
        }

        return r;
    }

    /// <summary>
    /// The 128-bit rung of <see cref="BinaryBlock512"/> (NEON on Arm64, SSE on x64 without AVX-512): four rows at a
    /// time, margins and probabilities interleaved by unpack (SSE) or zip (NEON).
    /// </summary>
    private int BinaryBlock128(ReadOnlySpan<float> margins, Span<float> output, int rows)
    {
        var slope = Vector128.Create(_negSlope);
        var offset = Vector128.Create(_negOffset);
        ref var m0 = ref MemoryMarshal.GetReference(margins);
        ref var o0 = ref MemoryMarshal.GetReference(output);
        var r = 0;
        for (; r + 4 <= rows; r += 4)
        {
            var m = Vector128.LoadUnsafe(ref m0, (nuint)r);
            var p = _transform.Kind switch
            {
                OutputTransformKind.Sigmoid => Vector128<float>.One / (Vector128<float>.One + Vector128.Exp(-m)),
                OutputTransformKind.Platt => Vector128<float>.One / (Vector128<float>.One + Vector128.Exp(-((slope * m) + offset))),
                _ => m,
            };
            var low = Sse.IsSupported ? Sse.UnpackLow(m, p) : AdvSimd.Arm64.ZipLow(m, p);
            var high = Sse.IsSupported ? Sse.UnpackHigh(m, p) : AdvSimd.Arm64.ZipHigh(m, p);
            low.StoreUnsafe(ref o0, (nuint)(2 * r));
            high.StoreUnsafe(ref o0, (nuint)((2 * r) + 4));
        }

        return r;
    }

    private void ApplyClasses(ReadOnlySpan<float> margins, Span<float> output)
    {
        switch (_transform.Kind)
        {
            case OutputTransformKind.Softmax:
                // exp(m - max) / Σ exp(m - max): the same values as exp(m) / Σ exp(m), without overflow for large margins.
                TensorPrimitives.Subtract(margins, TensorPrimitives.Max(margins), output);
                TensorPrimitives.Exp(output, output);
                TensorPrimitives.Divide(output, TensorPrimitives.Sum(output), output);
                break;
            case OutputTransformKind.Sigmoid:
                TensorPrimitives.Sigmoid(margins, output);
                break;
            case OutputTransformKind.OneVersusAll:
                // Each class's calibrated probability; negatives become 0 and NaNs stay out of the sum; then normalise when the sum is positive.
                TensorPrimitives.MultiplyAdd(margins, _classNegSlope, _classNegOffset, output);
                TensorPrimitives.Sigmoid(output, output);
                var sum = 0.0;
                for (var i = 0; i < output.Length; i++)
                {
                    var v = output[i];
                    if (float.IsNaN(v))
                    {
                        continue;
                    }

                    if (v >= 0)
                    {
                        sum += v;
                    }
                    else
                    {
                        output[i] = 0;
                    }
                }

                if (sum > 0)
                {
                    for (var i = 0; i < output.Length; i++)
                    {
                        output[i] = (float)(output[i] / sum);
                    }
                }

                break;
            default:
                margins.CopyTo(output);
                break;
        }
    }
}

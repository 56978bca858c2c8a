using System.Collections.ObjectModel;
using MLSystemDesign.Models;

namespace MLSystemDesign.Inference;

/// <summary>The kinds of <see cref="OutputTransform"/>.</summary>
public enum OutputTransformKind
{
    /// <summary>The margins are the outputs: a regression score, a binary probability, or class probabilities.</summary>
    Identity,

    /// <summary>The logistic function of each margin: a binary probability, or one independent probability per class.</summary>
    Sigmoid,

    /// <summary>ML.NET's Platt calibrator for a binary margin <c>m</c>: <c>1 / (1 + exp(slope * m + offset))</c>.</summary>
    Platt,

    /// <summary>The softmax of the class margins.</summary>
    Softmax,

    /// <summary>One-versus-all: each class margin goes through its own Platt calibrator; negative values become 0 and the rest are normalised to sum to 1.</summary>
    OneVersusAll,
}

/// <summary>A Platt calibrator's parameters: <c>p = 1 / (1 + exp(Slope * margin + Offset))</c>.</summary>
/// <param name="Slope">The slope (negative for a calibrator that rises with the margin).</param>
/// <param name="Offset">The offset.</param>
public readonly record struct PlattCalibration(double Slope, double Offset);

/// <summary>
/// How a model's raw margins (one per target) become the outputs its <see cref="ModelSignature"/> names. A regression
/// writes the margin as <c>score</c>; a binary classifier writes the margin as <c>score</c> and this transform of it as
/// <c>probability</c>; a multiclass classifier writes this transform of its class margins as <c>prob_0 … prob_{k-1}</c>.
/// </summary>
public sealed class OutputTransform
{
    private OutputTransform(OutputTransformKind kind, PlattCalibration platt = default, IReadOnlyList<PlattCalibration>? classCalibrations = null)
    {
        Kind = kind;
        Platt = platt;
        ClassCalibrations = classCalibrations;
    }

    /// <summary>Gets the transform that keeps the margins as they are.</summary>
    public static OutputTransform Identity { get; } = new(OutputTransformKind.Identity);

    /// <summary>Gets the logistic transform.</summary>
    public static OutputTransform Sigmoid { get; } = new(OutputTransformKind.Sigmoid);

    /// <summary>Gets the softmax transform (multiclass only).</summary>
    public static OutputTransform Softmax { get; } = new(OutputTransformKind.Softmax);

    /// <summary>Gets the kind.</summary>
    public OutputTransformKind Kind { get; }

    /// <summary>Gets the Platt parameters of a <see cref="OutputTransformKind.Platt"/> transform.</summary>
    public PlattCalibration Platt { get; }

    /// <summary>Gets the per-class calibrators of a <see cref="OutputTransformKind.OneVersusAll"/> transform.</summary>
    public IReadOnlyList<PlattCalibration>? ClassCalibrations { get; }

    /// <summary>Creates a binary Platt calibration: <c>p = 1 / (1 + exp(slope * margin + offset))</c>.</summary>
    /// <param name="slope">The slope.</param>
    /// <param name="offset">The offset.</param>
    /// <returns>The transform.</returns>
    /// <exception cref="ArgumentException">A parameter is not finite.</exception>
    public static OutputTransform PlattScaling(double slope, double offset)
    {
        if (!double.IsFinite(slope) || !double.IsFinite(offset))
        {
            throw new ArgumentException($"Platt parameters must be finite; got slope {slope}, offset {offset}.");
        }

        return new(OutputTransformKind.Platt, new PlattCalibration(slope, offset));
    }

    /// <summary>Creates a one-versus-all transform: class <c>i</c>'s margin goes through <paramref name="calibrations"/>[i], then the results are normalised.</summary>
    /// <param name="calibrations">One Platt calibrator per class.</param>
    /// <returns>The transform.</returns>
    /// <exception cref="ArgumentException">A parameter is not finite.</exception>
    public static OutputTransform OneVersusAll(IReadOnlyList<PlattCalibration> calibrations)
    {
        ArgumentNullException.ThrowIfNull(calibrations);
        foreach (var c in calibrations)
        {
            if (!double.IsFinite(c.Slope) || !double.IsFinite(c.Offset))
            {
                throw new ArgumentException($"Platt parameters must be finite; got slope {c.Slope}, offset {c.Offset}.", nameof(calibrations));
            }
        }

        return new(OutputTransformKind.OneVersusAll, default, new ReadOnlyCollection<PlattCalibration>(calibrations.ToArray()));
    }

    /// <summary>Checks that this transform fits a signature.</summary>
    internal void Validate(ModelSignature signature)
    {
        var ok = signature.Task switch
        {
            ModelTask.Regression => Kind == OutputTransformKind.Identity,
            ModelTask.BinaryClassification => Kind is OutputTransformKind.Identity or OutputTransformKind.Sigmoid or OutputTransformKind.Platt,
            _ => Kind is OutputTransformKind.Identity or OutputTransformKind.Sigmoid or OutputTransformKind.Softmax
                || (Kind == OutputTransformKind.OneVersusAll && ClassCalibrations!.Count == signature.OutputWidth),
        };
        if (!ok)
        {
            throw new ArgumentException($"The output transform {Kind}{(Kind == OutputTransformKind.OneVersusAll ? $" with {ClassCalibrations!.Count} calibrators" : string.Empty)} does not fit a {signature.Task} model with outputs [{string.Join(", ", signature.Outputs)}].");
        }
    }
}

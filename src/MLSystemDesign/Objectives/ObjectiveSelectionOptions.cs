using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using MLSystemDesign.Business;
using MLSystemDesign.Training;

namespace MLSystemDesign.Objectives;

/// <summary>Options of a model selection by an <see cref="ObjectiveSet"/>.</summary>
public sealed class ObjectiveSelectionOptions
{
    /// <summary>Gets or sets the business mappers whose realized value per record on the validation data becomes a measurement named by the mapper. Default none.</summary>
    public IReadOnlyList<IBusinessMetricMapper> BusinessMappers { get; set; } = [];

    /// <summary>Gets or sets the decision threshold the business mappers apply to a binary model's probability. Default 0.5; 0 to 1.</summary>
    [Range(0.0, 1.0)]
    public double Threshold { get; set; } = 0.5;

    /// <summary>Gets or sets how many validation rows are predicted one at a time to measure latency, when an objective is a latency. Default 1,000; 0 measures none; at most 1,000,000.</summary>
    [Range(0, 1_000_000)]
    public int LatencyRows { get; set; } = 1000;

    /// <summary>Gets or sets a function that adds measurements of a trained candidate (cost per prediction, a latency measured elsewhere); its values win over the built-in ones.</summary>
    public Func<CandidateResult, IReadOnlyDictionary<string, double>>? Measure { get; set; }
}

/// <summary>Validates <see cref="ObjectiveSelectionOptions"/> (generated from its data annotations).</summary>
[OptionsValidator]
internal sealed partial class ObjectiveSelectionOptionsValidator : IValidateOptions<ObjectiveSelectionOptions>;

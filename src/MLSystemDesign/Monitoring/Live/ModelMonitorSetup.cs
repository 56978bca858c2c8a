using MLSystemDesign.Expectations;
using MLSystemDesign.Features;

namespace MLSystemDesign.Monitoring;

/// <summary>
/// What a <see cref="ModelMonitor{T}"/> compares against: the reference profile, the fitted features and, optionally,
/// expectations. A registered monitor gets it from its asynchronous setup when the host starts (typically the reference
/// profile stored with the model version in the registry).
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
/// <param name="Reference">The reference profile (stored with the model version).</param>
/// <param name="Features">The fitted feature pipeline served with the model.</param>
/// <param name="Expectations">An expectation suite to check live windows against, if any.</param>
public sealed record ModelMonitorSetup<T>(ReferenceProfile Reference, IFittedFeaturePipeline<T> Features, ExpectationSuite? Expectations = null);

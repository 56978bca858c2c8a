using System.Text.Json;
using System.Text.Json.Serialization;
using MLSystemDesign.Features;
using MLSystemDesign.Monitoring.Performance;

namespace MLSystemDesign.Monitoring.Profiles;

/// <summary>The JSON form of a <see cref="ReferenceProfile"/> (snake_case, versioned).</summary>
internal static class ProfileJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static void Write(ReferenceProfile profile, Stream destination)
    {
        var dto = new ProfileDto
        {
            Format = "mlsd-reference-profile",
            Version = ReferenceProfile.FormatVersion,
            RowCount = profile.RowCount,
            SketchK = profile.Options.SketchK,
            ReservoirSize = profile.Options.ReservoirSize,
            MaxCategories = profile.Options.MaxCategories,
            Seed = profile.Options.Seed,
            Features = profile.Features.Select(ToDto).ToList(),
            Outputs = profile.Outputs.Select(ToDto).ToList(),
            Performance = profile.Performance is { } p ? new PerformanceDto
            {
                Threshold = p.Threshold,
                ChunkSize = p.ChunkSize,
                Bands = p.Bands.ToDictionary(kv => kv.Key, kv => new BandDto { Mean = kv.Value.Mean, StandardDeviation = kv.Value.StandardDeviation, Lower = kv.Value.Lower, Upper = kv.Value.Upper }),
                CalibrationScores = p.Calibration?.Scores.ToArray(),
                CalibrationProbabilities = p.Calibration?.Probabilities.ToArray(),
                PrevalenceDrift = p.PrevalenceDrift,
            }
            : null,
        };
        JsonSerializer.Serialize(destination, dto, Options);
    }

    public static ReferenceProfile Read(Stream source)
    {
        var dto = JsonSerializer.Deserialize<ProfileDto>(source, Options) ?? throw new JsonException("The profile JSON is empty.");
        if (dto.Format != "mlsd-reference-profile")
        {
            throw new JsonException($"This JSON is not a reference profile (format '{dto.Format ?? "none"}').");
        }

        if (dto.Version != ReferenceProfile.FormatVersion)
        {
            throw new JsonException($"Reference profile format version {dto.Version} is not supported; this library reads version {ReferenceProfile.FormatVersion}.");
        }

        var options = new ProfileOptions { SketchK = dto.SketchK, ReservoirSize = dto.ReservoirSize, MaxCategories = dto.MaxCategories, Seed = dto.Seed };
        try
        {
            OptionsValidation.ThrowIfInvalid<ProfileOptions, ProfileOptionsValidator>(options);
            var features = (dto.Features ?? []).Select(f => FromDto(f, options)).ToArray();
            var outputs = (dto.Outputs ?? []).Select(f => FromDto(f, options)).ToArray();
            PerformanceReference? performance = null;
            if (dto.Performance is { } p)
            {
                var calibration = p.CalibrationScores is { } xs && p.CalibrationProbabilities is { } ys ? new IsotonicCalibration(xs, ys) : null;
                var bands = (p.Bands ?? []).ToDictionary(kv => kv.Key, kv => new ReferenceBand(kv.Value.Mean, kv.Value.StandardDeviation, kv.Value.Lower, kv.Value.Upper));
                performance = new PerformanceReference(p.Threshold, p.ChunkSize, bands, calibration, p.PrevalenceDrift ?? 0);
            }

            return new ReferenceProfile(features, outputs, dto.RowCount, options, performance);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or Microsoft.Extensions.Options.OptionsValidationException)
        {
            throw new JsonException($"The reference profile is inconsistent: {ex.Message}", ex);
        }
    }

    private static FeatureDto ToDto(FeatureProfile f) => new()
    {
        Name = f.Name,
        Kind = f.Kind,
        Count = f.Count,
        Missing = f.MissingCount,
        Min = f.Kind == RawFeatureKind.Numeric ? f.Min : null,
        Max = f.Kind == RawFeatureKind.Numeric ? f.Max : null,
        Mean = f.Kind == RawFeatureKind.Numeric ? f.Mean : null,
        M2 = f.Kind == RawFeatureKind.Numeric ? f.M2 : null,
        Sketch = f.Sketch is { } s ? new SketchDto { K = s.K, Count = s.Count, RandomState = s.RandomState, Levels = s.Levels().ToList() } : null,
        Reservoir = f.Reservoir is { } r ? new ReservoirDto { Capacity = r.Capacity, Seen = r.Seen, RandomState = r.RandomState, SkipWeight = r.SkipWeight, NextIndex = r.NextIndex, Values = r.Values.ToArray() } : null,
        Categories = f.FrequentItems is { } c ? new CategoriesDto
        {
            Capacity = c.Capacity,
            Count = c.Count,
            Exact = c.IsExact,
            Other = c.OtherCount,
            Top = c.Counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value),
        }
        : null,
    };

    private static FeatureProfile FromDto(FeatureDto f, ProfileOptions options)
    {
        if (string.IsNullOrEmpty(f.Name))
        {
            throw new FormatException("A feature profile has no name.");
        }

        if (f.Count < 0 || f.Missing < 0)
        {
            throw new FormatException($"Feature '{f.Name}' has a negative count.");
        }

        if (f.Kind == RawFeatureKind.Numeric)
        {
            var s = f.Sketch ?? throw new FormatException($"Numeric feature '{f.Name}' has no sketch.");
            var r = f.Reservoir ?? throw new FormatException($"Numeric feature '{f.Name}' has no reservoir.");
            if (s.Count != f.Count || r.Seen != f.Count)
            {
                throw new FormatException($"Feature '{f.Name}': count {f.Count}, but the sketch holds {s.Count} and the reservoir saw {r.Seen}.");
            }

            var sketch = KllSketch.Restore(options.SketchK, s.Count, s.RandomState, s.Levels ?? []);
            var reservoir = ReservoirSample.Restore(options.ReservoirSize, r.Seen, r.RandomState, r.Values ?? [], r.SkipWeight, r.NextIndex);
            return FeatureProfile.Restore(f.Name, f.Kind, f.Count, f.Missing, f.Min ?? double.NaN, f.Max ?? double.NaN, f.Mean ?? 0, f.M2 ?? 0, sketch, reservoir, null);
        }

        var c = f.Categories ?? throw new FormatException($"Categorical feature '{f.Name}' has no category counts.");
        if (c.Count != f.Count)
        {
            throw new FormatException($"Feature '{f.Name}': count {f.Count}, but the category counts total {c.Count}.");
        }

        var items = FrequentItems.Restore(options.MaxCategories, c.Count, c.Exact, c.Top ?? []);
        return FeatureProfile.Restore(f.Name, f.Kind, f.Count, f.Missing, double.NaN, double.NaN, 0, 0, null, null, items);
    }

    private sealed class ProfileDto
    {
        public string? Format { get; set; }

        public int Version { get; set; }

        public long RowCount { get; set; }

        public int SketchK { get; set; }

        public int ReservoirSize { get; set; }

        public int MaxCategories { get; set; }

        public int Seed { get; set; }

        public List<FeatureDto>? Features { get; set; }

        public List<FeatureDto>? Outputs { get; set; }

        public PerformanceDto? Performance { get; set; }
    }

    private sealed class FeatureDto
    {
        public string Name { get; set; } = string.Empty;

        public RawFeatureKind Kind { get; set; }

        public long Count { get; set; }

        public long Missing { get; set; }

        public double? Min { get; set; }

        public double? Max { get; set; }

        public double? Mean { get; set; }

        public double? M2 { get; set; }

        public SketchDto? Sketch { get; set; }

        public ReservoirDto? Reservoir { get; set; }

        public CategoriesDto? Categories { get; set; }
    }

    private sealed class SketchDto
    {
        public int K { get; set; }

        public long Count { get; set; }

        public ulong RandomState { get; set; }

        public List<double[]>? Levels { get; set; }
    }

    private sealed class ReservoirDto
    {
        public int Capacity { get; set; }

        public long Seen { get; set; }

        public ulong RandomState { get; set; }

        public double? SkipWeight { get; set; }

        public long? NextIndex { get; set; }

        public double[]? Values { get; set; }
    }

    private sealed class CategoriesDto
    {
        public int Capacity { get; set; }

        public long Count { get; set; }

        public bool Exact { get; set; }

        public long Other { get; set; }

        public Dictionary<string, long>? Top { get; set; }
    }

    private sealed class PerformanceDto
    {
        public double Threshold { get; set; }

        public int ChunkSize { get; set; }

        public Dictionary<string, BandDto>? Bands { get; set; }

        public double[]? CalibrationScores { get; set; }

        public double[]? CalibrationProbabilities { get; set; }

        public double? PrevalenceDrift { get; set; }
    }

    private sealed class BandDto
    {
        public double Mean { get; set; }

        public double StandardDeviation { get; set; }

        public double Lower { get; set; }

        public double Upper { get; set; }
    }
}

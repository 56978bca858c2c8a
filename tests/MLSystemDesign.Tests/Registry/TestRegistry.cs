using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MLSystemDesign.Models;
using MLSystemDesign.Registry;

namespace MLSystemDesign.Tests.Registry;

/// <summary>A registry in a temporary folder, with a fake clock and a small text model format.</summary>
internal sealed class TestRegistry : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly bool _ownsRoot;

    public TestRegistry(string? root = null, Action<SqliteRegistryOptions>? configure = null, FakeTimeProvider? time = null, Action<MLSystemBuilder>? ml = null)
    {
        _ownsRoot = root is null;
        Root = root ?? Path.Combine(Path.GetTempPath(), "mlsd-registry-tests", Guid.NewGuid().ToString("N"));
        Time = time ?? new FakeTimeProvider(new DateTimeOffset(2024, 3, 1, 9, 0, 0, TimeSpan.Zero));
        _services = new ServiceCollection()
            .AddSingleton<TimeProvider>(Time)
            .AddMLSystem(builder => (ml is null ? builder : Apply(builder, ml))
                .AddModelFormat<LinearTextFormat>()
                .UseSqliteRegistry(o =>
                {
                    o.RootPath = Root;
                    o.FlushToDisk = false;
                    o.DefaultActor = "tester";
                    configure?.Invoke(o);
                }))
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        Registry = _services.GetRequiredService<IModelRegistry>();
        Store = _services.GetRequiredService<IArtifactStore>();
    }

    public string Root { get; }

    public FakeTimeProvider Time { get; }

    public IModelRegistry Registry { get; }

    public IArtifactStore Store { get; }

    public string BlobPath(string sha256) => Path.Combine(Root, "blobs", "sha256", sha256[..2], sha256);

    /// <summary>A version whose model is a linear model with the given weights.</summary>
    public static NewModelVersion Linear(string name, params float[] weights) => new()
    {
        Name = name,
        Artifacts = [NewArtifact.ForModel(new LinearTextModel(weights), new LinearTextFormat())],
    };

    private static MLSystemBuilder Apply(MLSystemBuilder builder, Action<MLSystemBuilder> ml)
    {
        ml(builder);
        return builder;
    }

    public static NewArtifact Bytes(string name, string content) =>
        NewArtifact.FromBytes(name, ArtifactKinds.File, Encoding.UTF8.GetBytes(content), "text/plain");

    public void Dispose()
    {
        _services.Dispose();
        SqliteConnection.ClearAllPools();
        if (_ownsRoot)
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}

/// <summary>A regression model: the dot product of the features with fixed weights.</summary>
internal sealed class LinearTextModel(float[] weights) : IModel
{
    public float[] Weights { get; } = weights;

    public ModelSignature Signature { get; } = ModelSignature.Regression(weights.Length);

    public void Predict(ReadOnlySpan<float> features, Span<float> output)
    {
        var sum = 0f;
        for (var i = 0; i < Weights.Length; i++)
        {
            sum += Weights[i] * features[i];
        }

        output[0] = sum;
    }

    public void PredictBatch(ReadOnlySpan<float> features, Span<float> output)
    {
        for (var r = 0; r < output.Length; r++)
        {
            Predict(features.Slice(r * Weights.Length, Weights.Length), output.Slice(r, 1));
        }
    }
}

/// <summary>Saves a <see cref="LinearTextModel"/> as its weights in text: "linear 0.5 1.5".</summary>
internal sealed class LinearTextFormat : IModelFormat
{
    public string FormatId => "test-linear";

    public bool CanSave(IModel model) => model is LinearTextModel;

    public async ValueTask SaveAsync(IModel model, Stream destination, CancellationToken cancellationToken = default)
    {
        var text = "linear " + string.Join(' ', ((LinearTextModel)model).Weights.Select(w => w.ToString("R", CultureInfo.InvariantCulture)));
        await destination.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
    }

    public async ValueTask<IModel> LoadAsync(Stream source, CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(source, leaveOpen: true);
        var parts = (await reader.ReadToEndAsync(cancellationToken)).Split(' ');
        return parts[0] == "linear"
            ? new LinearTextModel(parts.Skip(1).Select(p => float.Parse(p, CultureInfo.InvariantCulture)).ToArray())
            : throw new ModelFormatException(FormatId, "not a linear model");
    }
}

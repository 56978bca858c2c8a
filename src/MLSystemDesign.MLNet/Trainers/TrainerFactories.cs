using Microsoft.Extensions.Options;
using MLSystemDesign.Models;
using MLSystemDesign.Training;

namespace MLSystemDesign.MLNet.Trainers;

/// <summary>Creates one kind of ML.NET trainer by name for the trainer catalog; parameters come as invariant text.</summary>
internal abstract class MLNetTrainerFactory(IOptions<MLSystemOptions> options) : ITrainerFactory
{
    private static readonly ModelTask[] AllTasks = [ModelTask.BinaryClassification, ModelTask.Regression, ModelTask.MulticlassClassification];

    public abstract string Name { get; }

    public IReadOnlyCollection<ModelTask> Tasks => AllTasks;

    protected int Seed => options.Value.Seed;

    public ITrainer Create(ModelTask task, IReadOnlyDictionary<string, string>? parameters = null)
    {
        if (!Enum.IsDefined(task))
        {
            throw new ArgumentException($"Unknown task {task}.", nameof(task));
        }

        return Build(task, parameters);
    }

    protected abstract ITrainer Build(ModelTask task, IReadOnlyDictionary<string, string>? parameters);

    protected TreeTrainerSettings Trees(IReadOnlyDictionary<string, string>? parameters)
    {
        var s = TreeTrainerSettings.Parse(parameters, Name);
        s.Seed ??= Seed;
        return s;
    }
}

internal sealed class FastTreeTrainerFactory(IOptions<MLSystemOptions> options) : MLNetTrainerFactory(options)
{
    public override string Name => MLNetTrainers.FastTreeName;

    protected override ITrainer Build(ModelTask task, IReadOnlyDictionary<string, string>? parameters) => MLNetTrainers.FastTree(task, Trees(parameters));
}

internal sealed class FastForestTrainerFactory(IOptions<MLSystemOptions> options) : MLNetTrainerFactory(options)
{
    public override string Name => MLNetTrainers.FastForestName;

    protected override ITrainer Build(ModelTask task, IReadOnlyDictionary<string, string>? parameters) => MLNetTrainers.FastForest(task, Trees(parameters));
}

internal sealed class LightGbmTrainerFactory(IOptions<MLSystemOptions> options) : MLNetTrainerFactory(options)
{
    public override string Name => MLNetTrainers.LightGbmName;

    protected override ITrainer Build(ModelTask task, IReadOnlyDictionary<string, string>? parameters) => MLNetTrainers.LightGbm(task, Trees(parameters));
}

internal sealed class LinearTrainerFactory(IOptions<MLSystemOptions> options) : MLNetTrainerFactory(options)
{
    public override string Name => MLNetTrainers.LinearName;

    protected override ITrainer Build(ModelTask task, IReadOnlyDictionary<string, string>? parameters)
    {
        var s = LinearTrainerSettings.Parse(parameters, Name);
        s.Seed ??= Seed;
        return MLNetTrainers.Linear(task, s);
    }
}

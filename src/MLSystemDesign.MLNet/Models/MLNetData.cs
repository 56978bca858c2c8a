using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLSystemDesign.MLNet.Models;

/// <summary>Moves feature matrices into ML.NET data views with the vector width set at run time.</summary>
internal static class MLNetData
{
    public const string Features = "Features";
    public const string Label = "Label";
    public const string Weight = "Weight";

    public static SchemaDefinition InputSchema(int width)
    {
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[Features].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        return schema;
    }

    public static IDataView FromMatrix(MLContext ml, ReadOnlyMemory<float> features, int width) =>
        ml.Data.LoadFromEnumerable(Rows(features, width), InputSchema(width));

    private static IEnumerable<FeatureRow> Rows(ReadOnlyMemory<float> features, int width)
    {
        var rows = features.Length / width;
        for (var i = 0; i < rows; i++)
        {
            yield return new FeatureRow { Features = features.Slice(i * width, width).ToArray() };
        }
    }

    /// <summary>Builds a labelled view; multiclass labels become a key type with one value per class.</summary>
    public static IDataView Labelled(MLContext ml, MLSystemDesign.Training.TrainingSet data)
    {
        var width = data.FeatureCount;
        if (data.Task == MLSystemDesign.Models.ModelTask.MulticlassClassification)
        {
            var schema = SchemaDefinition.Create(typeof(KeyRow));
            schema[Features].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
            schema[Label].ColumnType = new KeyDataViewType(typeof(uint), data.ClassCount);
            return ml.Data.LoadFromEnumerable(KeyRows(data), schema);
        }

        if (data.Task == MLSystemDesign.Models.ModelTask.BinaryClassification)
        {
            var boolSchema = SchemaDefinition.Create(typeof(BoolRow));
            boolSchema[Features].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
            return ml.Data.LoadFromEnumerable(BoolRows(data), boolSchema);
        }

        var floatSchema = SchemaDefinition.Create(typeof(FloatRow));
        floatSchema[Features].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        return ml.Data.LoadFromEnumerable(FloatRows(data), floatSchema);
    }

    private static IEnumerable<BoolRow> BoolRows(MLSystemDesign.Training.TrainingSet data)
    {
        for (var i = 0; i < data.RowCount; i++)
        {
            yield return new BoolRow
            {
                Features = data.Row(i).ToArray(),
                Label = data.Labels.Span[i] == 1f,
                Weight = data.Weights is { } w ? w.Span[i] : 1f,
            };
        }
    }

    private static IEnumerable<FloatRow> FloatRows(MLSystemDesign.Training.TrainingSet data)
    {
        for (var i = 0; i < data.RowCount; i++)
        {
            yield return new FloatRow
            {
                Features = data.Row(i).ToArray(),
                Label = data.Labels.Span[i],
                Weight = data.Weights is { } w ? w.Span[i] : 1f,
            };
        }
    }

    private static IEnumerable<KeyRow> KeyRows(MLSystemDesign.Training.TrainingSet data)
    {
        for (var i = 0; i < data.RowCount; i++)
        {
            yield return new KeyRow
            {
                Features = data.Row(i).ToArray(),
                Label = (uint)data.Labels.Span[i], // LoadFromEnumerable stores key members 0-based and shifts them itself
                Weight = data.Weights is { } w ? w.Span[i] : 1f,
            };
        }
    }

    internal sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];
    }

    internal sealed class FloatRow
    {
        public float[] Features { get; set; } = [];

        public float Label { get; set; }

        public float Weight { get; set; }
    }

    internal sealed class BoolRow
    {
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }

        public float Weight { get; set; }
    }

    internal sealed class KeyRow
    {
        public float[] Features { get; set; } = [];

        public uint Label { get; set; }

        public float Weight { get; set; }
    }
}

using System.Collections.ObjectModel;

namespace MLSystemDesign.Features;

/// <summary>The kind of a raw feature: what a record gives before encoding.</summary>
public enum RawFeatureKind
{
    /// <summary>A number (NaN when missing).</summary>
    Numeric,

    /// <summary>A category label (null when missing).</summary>
    Categorical,
}

/// <summary>A raw feature: a named value taken from a record.</summary>
/// <param name="Name">The feature name.</param>
/// <param name="Kind">Numeric or categorical.</param>
public sealed record RawFeature(string Name, RawFeatureKind Kind);

/// <summary>What a slot of the feature vector holds.</summary>
public enum FeatureSlotKind
{
    /// <summary>A numeric value, possibly imputed and scaled.</summary>
    Numeric,

    /// <summary>1 when the raw value was missing, else 0.</summary>
    MissingIndicator,

    /// <summary>1 when the category equals this slot's category, else 0.</summary>
    OneHot,

    /// <summary>1 when the category was outside the learned vocabulary (or missing), else 0.</summary>
    OtherCategory,

    /// <summary>1 when the category hashed into this bucket, else 0.</summary>
    HashBucket,
}

/// <summary>One slot of the feature vector.</summary>
/// <param name="Index">The slot's position in the vector.</param>
/// <param name="Name">A readable name, e.g. <c>distance</c>, <c>origin=SEA</c>, <c>origin=&lt;other&gt;</c>, <c>dest#17</c>.</param>
/// <param name="RawFeature">The raw feature the slot came from.</param>
/// <param name="Kind">What the slot holds.</param>
public sealed record FeatureSlot(int Index, string Name, string RawFeature, FeatureSlotKind Kind);

/// <summary>Names every slot of a feature vector and the raw feature it came from.</summary>
public sealed class FeatureSchema
{
    /// <summary>Creates a schema.</summary>
    /// <param name="rawFeatures">The raw features, in order.</param>
    /// <param name="slots">The slots, in vector order; each slot's index must equal its position.</param>
    /// <exception cref="ArgumentException">A slot's index differs from its position, or names a raw feature that is not listed.</exception>
    public FeatureSchema(IEnumerable<RawFeature> rawFeatures, IEnumerable<FeatureSlot> slots)
    {
        ArgumentNullException.ThrowIfNull(rawFeatures);
        ArgumentNullException.ThrowIfNull(slots);
        var raw = rawFeatures.ToList();
        var slotList = slots.ToList();
        var names = raw.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < slotList.Count; i++)
        {
            if (slotList[i].Index != i)
            {
                throw new ArgumentException($"Slot '{slotList[i].Name}' has index {slotList[i].Index} but sits at position {i}.", nameof(slots));
            }

            if (!names.Contains(slotList[i].RawFeature))
            {
                throw new ArgumentException($"Slot '{slotList[i].Name}' names raw feature '{slotList[i].RawFeature}', which is not in the schema.", nameof(slots));
            }
        }

        RawFeatures = new ReadOnlyCollection<RawFeature>(raw);
        Slots = new ReadOnlyCollection<FeatureSlot>(slotList);
    }

    /// <summary>Gets the raw features, in order.</summary>
    public IReadOnlyList<RawFeature> RawFeatures { get; }

    /// <summary>Gets the slots, in vector order.</summary>
    public IReadOnlyList<FeatureSlot> Slots { get; }

    /// <summary>Gets the vector length.</summary>
    public int Width => Slots.Count;

    /// <summary>Gets the slot names in vector order.</summary>
    public IReadOnlyList<string> SlotNames => Slots.Select(s => s.Name).ToArray();
}

namespace MLSystemDesign.Inference;

/// <summary>
/// One node of a <see cref="DecisionTree"/>: either a numeric split on one feature or a leaf holding a value.
/// </summary>
/// <remarks>
/// A split sends a row to <see cref="Left"/> when its feature value passes the ensemble's <see cref="SplitComparison"/>
/// against <see cref="Threshold"/> (<c>x &lt;= t</c> or <c>x &lt; t</c>), otherwise to <see cref="Right"/>. A missing
/// value (NaN) does not compare: it goes left when <see cref="MissingGoesLeft"/> is set and right otherwise.
/// </remarks>
public readonly record struct TreeNode
{
    private TreeNode(bool isLeaf, int feature, float threshold, int left, int right, bool missingGoesLeft, double value)
    {
        IsLeaf = isLeaf;
        Feature = feature;
        Threshold = threshold;
        Left = left;
        Right = right;
        MissingGoesLeft = missingGoesLeft;
        Value = value;
    }

    /// <summary>Gets whether this node is a leaf.</summary>
    public bool IsLeaf { get; }

    /// <summary>Gets the index of the feature a split tests; 0 for a leaf.</summary>
    public int Feature { get; }

    /// <summary>Gets the threshold a split compares against; 0 for a leaf.</summary>
    public float Threshold { get; }

    /// <summary>Gets the index (within the tree's node list) of the child taken when the comparison holds; -1 for a leaf.</summary>
    public int Left { get; }

    /// <summary>Gets the index of the child taken when the comparison fails; -1 for a leaf.</summary>
    public int Right { get; }

    /// <summary>Gets whether a missing (NaN) feature value goes to <see cref="Left"/>.</summary>
    public bool MissingGoesLeft { get; }

    /// <summary>Gets a leaf's value; 0 for a split.</summary>
    public double Value { get; }

    /// <summary>Creates a split node.</summary>
    /// <param name="feature">The feature index.</param>
    /// <param name="threshold">The threshold.</param>
    /// <param name="left">The child taken when the comparison holds.</param>
    /// <param name="right">The child taken when it fails.</param>
    /// <param name="missingGoesLeft">Whether a missing value goes left.</param>
    /// <returns>The node.</returns>
    public static TreeNode Split(int feature, float threshold, int left, int right, bool missingGoesLeft) =>
        new(false, feature, threshold, left, right, missingGoesLeft, 0);

    /// <summary>Creates a leaf.</summary>
    /// <param name="value">The value the leaf adds to its target's score.</param>
    /// <returns>The node.</returns>
    public static TreeNode Leaf(double value) => new(true, 0, 0, -1, -1, false, value);
}

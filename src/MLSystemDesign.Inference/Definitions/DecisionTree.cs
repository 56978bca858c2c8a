using System.Collections.ObjectModel;

namespace MLSystemDesign.Inference;

/// <summary>A decision tree: a list of <see cref="TreeNode"/>s whose first node is the root, adding to one target's score.</summary>
public sealed class DecisionTree
{
    /// <summary>Creates a tree.</summary>
    /// <param name="nodes">The nodes; node 0 is the root. Children are indices into this list.</param>
    /// <param name="target">The output slot (class index for multiclass, 0 otherwise) the tree's leaves add to.</param>
    public DecisionTree(IReadOnlyList<TreeNode> nodes, int target = 0)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentOutOfRangeException.ThrowIfNegative(target);
        Nodes = new ReadOnlyCollection<TreeNode>(nodes.ToArray());
        Target = target;
    }

    /// <summary>Gets the nodes; node 0 is the root.</summary>
    public IReadOnlyList<TreeNode> Nodes { get; }

    /// <summary>Gets the output slot the tree adds to.</summary>
    public int Target { get; }
}

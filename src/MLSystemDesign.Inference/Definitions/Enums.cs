namespace MLSystemDesign.Inference;

/// <summary>How a split compares a feature value with its threshold; the row goes left when the comparison holds.</summary>
public enum SplitComparison
{
    /// <summary><c>x &lt;= threshold</c> goes left (ML.NET, LightGBM, ONNX <c>BRANCH_LEQ</c>).</summary>
    LessOrEqual,

    /// <summary><c>x &lt; threshold</c> goes left (XGBoost, ONNX <c>BRANCH_LT</c>).</summary>
    Less,
}

/// <summary>How the leaf values of the trees of one target are combined.</summary>
public enum TreeAggregation
{
    /// <summary>Summed (gradient boosting).</summary>
    Sum,

    /// <summary>Averaged over the target's trees (random forests).</summary>
    Average,
}

/// <summary>The activation a dense layer applies to its outputs.</summary>
public enum Activation
{
    /// <summary>No activation.</summary>
    Identity,

    /// <summary><c>max(x, 0)</c>.</summary>
    Relu,

    /// <summary><c>x</c> for positive x, <c>alpha * x</c> otherwise.</summary>
    LeakyRelu,

    /// <summary>The hyperbolic tangent.</summary>
    Tanh,

    /// <summary>The logistic function <c>1 / (1 + e^-x)</c>.</summary>
    Sigmoid,
}

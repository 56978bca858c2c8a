namespace MLSystemDesign.Training;

/// <summary>A split of records into a training part and a test part.</summary>
/// <typeparam name="T">The record type.</typeparam>
/// <param name="Train">The training records.</param>
/// <param name="Test">The test records.</param>
public sealed record DataSplit<T>(IReadOnlyList<T> Train, IReadOnlyList<T> Test);

/// <summary>One fold of a k-fold cross-validation: row indices to train on and to validate on.</summary>
/// <param name="Index">The fold number, from 0.</param>
/// <param name="Train">The training row indices, ascending.</param>
/// <param name="Validation">The validation row indices, ascending.</param>
public sealed record Fold(int Index, IReadOnlyList<int> Train, IReadOnlyList<int> Validation);

/// <summary>Splits records for training and evaluation. Every random split takes an explicit seed, so it is reproducible.</summary>
public static class DataSplits
{
    /// <summary>Splits at random.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="records">The records.</param>
    /// <param name="testFraction">The share that goes to test, in (0, 1).</param>
    /// <param name="seed">The random seed.</param>
    /// <returns>The split; both parts keep the records' original order.</returns>
    public static DataSplit<T> Random<T>(IReadOnlyList<T> records, double testFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(records);
        CheckFraction(testFraction);
        var order = Permutation(records.Count, seed);
        var testCount = (int)Math.Round(records.Count * testFraction);
        var test = new bool[records.Count];
        for (var i = 0; i < testCount; i++)
        {
            test[order[i]] = true;
        }

        return Partition(records, test);
    }

    /// <summary>Splits at random within each stratum, so every stratum (e.g. class) keeps its share in both parts.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <typeparam name="TKey">The stratum key type.</typeparam>
    /// <param name="records">The records.</param>
    /// <param name="stratum">The stratum of a record, typically its label.</param>
    /// <param name="testFraction">The share that goes to test, in (0, 1).</param>
    /// <param name="seed">The random seed.</param>
    /// <returns>The split; both parts keep the records' original order.</returns>
    public static DataSplit<T> Stratified<T, TKey>(IReadOnlyList<T> records, Func<T, TKey> stratum, double testFraction, int seed)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(stratum);
        CheckFraction(testFraction);
        var random = new Random(seed);
        var test = new bool[records.Count];
        foreach (var group in Enumerable.Range(0, records.Count).GroupBy(i => stratum(records[i])).OrderBy(g => g.First()))
        {
            var members = group.ToArray();
            random.Shuffle(members);
            var testCount = (int)Math.Round(members.Length * testFraction);
            for (var i = 0; i < testCount; i++)
            {
                test[members[i]] = true;
            }
        }

        return Partition(records, test);
    }

    /// <summary>Splits by time: the latest <paramref name="testFraction"/> of records (by <paramref name="time"/>) go to test, so the model is tested on the future.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="records">The records.</param>
    /// <param name="time">The time of a record.</param>
    /// <param name="testFraction">The share that goes to test, in (0, 1).</param>
    /// <returns>The split; each part sorted by time (stable).</returns>
    public static DataSplit<T> TimeOrdered<T>(IReadOnlyList<T> records, Func<T, DateTime> time, double testFraction)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(time);
        CheckFraction(testFraction);
        var sorted = records.OrderBy(time).ToArray();
        var trainCount = sorted.Length - (int)Math.Round(sorted.Length * testFraction);
        return new DataSplit<T>(sorted[..trainCount], sorted[trainCount..]);
    }

    /// <summary>Splits by a cut-off time: records before <paramref name="cutoff"/> train, the rest test.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="records">The records.</param>
    /// <param name="time">The time of a record.</param>
    /// <param name="cutoff">The first instant of the test period.</param>
    /// <returns>The split; both parts keep the records' original order.</returns>
    public static DataSplit<T> ByCutoff<T>(IReadOnlyList<T> records, Func<T, DateTime> time, DateTime cutoff)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(time);
        var test = new bool[records.Count];
        for (var i = 0; i < test.Length; i++)
        {
            test[i] = time(records[i]) >= cutoff;
        }

        return Partition(records, test);
    }

    /// <summary>Assigns <paramref name="count"/> rows to <paramref name="k"/> folds at random; fold sizes differ by at most one.</summary>
    /// <param name="count">The number of rows.</param>
    /// <param name="k">The number of folds; at least 2 and at most <paramref name="count"/>.</param>
    /// <param name="seed">The random seed.</param>
    /// <returns>The folds.</returns>
    public static IReadOnlyList<Fold> KFold(int count, int k, int seed)
    {
        CheckFolds(count, k);
        var order = Permutation(count, seed);
        var assignment = new int[count];
        for (var i = 0; i < count; i++)
        {
            assignment[order[i]] = i % k;
        }

        return Folds(assignment, k);
    }

    /// <summary>Assigns rows to folds so that each fold keeps every stratum's share (as scikit-learn's StratifiedKFold).</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <typeparam name="TKey">The stratum key type.</typeparam>
    /// <param name="records">The records.</param>
    /// <param name="stratum">The stratum of a record, typically its label.</param>
    /// <param name="k">The number of folds.</param>
    /// <param name="seed">The random seed.</param>
    /// <returns>The folds.</returns>
    public static IReadOnlyList<Fold> StratifiedKFold<T, TKey>(IReadOnlyList<T> records, Func<T, TKey> stratum, int k, int seed)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(stratum);
        CheckFolds(records.Count, k);
        var random = new Random(seed);
        var assignment = new int[records.Count];
        var next = 0;
        foreach (var group in Enumerable.Range(0, records.Count).GroupBy(i => stratum(records[i])).OrderBy(g => g.First()))
        {
            var members = group.ToArray();
            random.Shuffle(members);
            foreach (var m in members)
            {
                assignment[m] = next++ % k;
            }
        }

        return Folds(assignment, k);
    }

    private static Fold[] Folds(int[] assignment, int k) =>
        Enumerable.Range(0, k).Select(f => new Fold(
            f,
            Enumerable.Range(0, assignment.Length).Where(i => assignment[i] != f).ToArray(),
            Enumerable.Range(0, assignment.Length).Where(i => assignment[i] == f).ToArray())).ToArray();

    private static int[] Permutation(int count, int seed)
    {
        var order = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(order);
        return order;
    }

    private static DataSplit<T> Partition<T>(IReadOnlyList<T> records, bool[] test)
    {
        var trainList = new List<T>(records.Count);
        var testList = new List<T>();
        for (var i = 0; i < records.Count; i++)
        {
            (test[i] ? testList : trainList).Add(records[i]);
        }

        return new DataSplit<T>(trainList, testList);
    }

    private static void CheckFraction(double testFraction)
    {
        if (!(testFraction > 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must lie strictly between 0 and 1.");
        }
    }

    private static void CheckFolds(int count, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 2);
        if (k > count)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"{k} folds need at least {k} rows; there are {count}.");
        }
    }
}

using MLSystemDesign.Monitoring.Live;

namespace MLSystemDesign.Tests.Monitoring.Live;

/// <summary>
/// The monitor's lock-free ring (Vyukov's bounded queue): any number of writers, one reader at a time. What the design
/// allows: an enqueue fails at once when the ring is full. What it must never do: lose or duplicate an accepted item,
/// hand out an item whose fields come from different writes, or reorder one writer's items.
/// </summary>
public sealed class SampleRingTests
{
    private const int Width = 3;

    [Fact]
    public void TryEnqueue_FullRing_FailsAtOnceAndSucceedsAgainAfterADequeue()
    {
        var ring = new SampleRing<string>(capacity: 5, outputWidth: Width);
        Assert.Equal(8, ring.Capacity);
        for (var i = 0; i < 8; i++)
        {
            Assert.True(ring.TryEnqueue($"r{i}", [i], Guid.Empty, null, i));
        }

        Assert.False(ring.TryEnqueue("r8", [8], Guid.Empty, null, 8));
        var outputs = new float[Width];
        Assert.True(ring.TryDequeue(out var first, outputs, out _, out _, out var timestamp));
        Assert.Equal(("r0", 0L), (first, timestamp));
        Assert.True(ring.TryEnqueue("r8", [8], Guid.Empty, null, 8));
        for (var i = 1; i <= 8; i++)
        {
            Assert.True(ring.TryDequeue(out var record, outputs, out _, out _, out _));
            Assert.Equal($"r{i}", record);
        }

        Assert.False(ring.TryDequeue(out _, outputs, out _, out _, out _));
    }

    [Fact]
    public void TryEnqueue_OutputsShorterOrLongerThanTheWidth_ArePaddedWithNaNOrCut()
    {
        var ring = new SampleRing<int>(capacity: 4, outputWidth: Width);
        ring.TryEnqueue(1, [0.5f], Guid.Empty, null, 0);
        ring.TryEnqueue(2, [1, 2, 3, 4, 5], Guid.Empty, null, 0);
        var outputs = new float[Width];
        ring.TryDequeue(out _, outputs, out _, out _, out _);
        Assert.Equal([0.5f, float.NaN, float.NaN], outputs);
        ring.TryDequeue(out _, outputs, out _, out _, out _);
        Assert.Equal([1f, 2f, 3f], outputs);
    }

    [Theory]
    [InlineData(4, 64, 250_000)]
    [InlineData(3, 1024, 250_000)]
    [InlineData(8, 16, 100_000)]
    public void ManyWritersAndTurnTakingReaders_NoAcceptedItemIsLostDuplicatedTornOrReordered(int writers, int capacity, int perWriter)
    {
        var ring = new SampleRing<Item>(capacity, Width);
        var accepted = new bool[writers][];
        var writing = writers;
        var start = new Barrier(writers + 2);
        var readLock = new object();
        var seen = new bool[writers][];
        var lastSeq = new int[writers];
        Array.Fill(lastSeq, -1);
        for (var w = 0; w < writers; w++)
        {
            accepted[w] = new bool[perWriter];
            seen[w] = new bool[perWriter];
        }

        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var threads = new List<Thread>();
        for (var w = 0; w < writers; w++)
        {
            var writer = w;
            threads.Add(new Thread(() => Guard(failures, () =>
            {
                var outputs = new float[Width];
                start.SignalAndWait();
                for (var s = 0; s < perWriter; s++)
                {
                    Item.Outputs(writer, s, outputs);
                    accepted[writer][s] = ring.TryEnqueue(new Item(writer, s), outputs, Item.Id(writer, s), Item.Version(writer), Item.Timestamp(writer, s, perWriter));
                }
            }, () => Interlocked.Decrement(ref writing))));
        }

        // Two readers take turns under one lock, as the hosted loop and an explicit ProcessPending do in the monitor.
        for (var r = 0; r < 2; r++)
        {
            threads.Add(new Thread(() => Guard(failures, () =>
            {
                var outputs = new float[Width];
                var expected = new float[Width];
                start.SignalAndWait();
                while (true)
                {
                    var done = Volatile.Read(ref writing) == 0;
                    bool took;
                    lock (readLock)
                    {
                        took = ring.TryDequeue(out var item, outputs, out var id, out var version, out var timestamp);
                        if (took)
                        {
                            Item.Outputs(item.Writer, item.Seq, expected);
                            if (id != Item.Id(item.Writer, item.Seq) || !ReferenceEquals(version, Item.Version(item.Writer))
                                || timestamp != Item.Timestamp(item.Writer, item.Seq, perWriter) || !outputs.SequenceEqual(expected))
                            {
                                failures.Enqueue($"torn item ({item.Writer}, {item.Seq})");
                            }

                            if (seen[item.Writer][item.Seq])
                            {
                                failures.Enqueue($"duplicate ({item.Writer}, {item.Seq})");
                            }

                            seen[item.Writer][item.Seq] = true;
                            if (item.Seq <= lastSeq[item.Writer])
                            {
                                failures.Enqueue($"writer {item.Writer}: {item.Seq} after {lastSeq[item.Writer]}");
                            }

                            lastSeq[item.Writer] = item.Seq;
                        }
                    }

                    if (!took && done)
                    {
                        break;
                    }
                }
            })));
        }

        threads.ForEach(t =>
        {
            t.IsBackground = true;
            t.Start();
        });

        // A guard against a broken ring spinning forever, not a timing assertion: a correct run takes well under a second.
        Assert.All(threads, t => Assert.True(t.Join(TimeSpan.FromMinutes(2)), "a writer or reader never finished: the ring lost track of a slot"));

        Assert.True(failures.IsEmpty, string.Join("; ", failures.Take(10)));
        var total = 0;
        for (var w = 0; w < writers; w++)
        {
            for (var s = 0; s < perWriter; s++)
            {
                Assert.True(accepted[w][s] == seen[w][s], $"item ({w}, {s}) was {(accepted[w][s] ? "accepted but never read" : "read but its enqueue failed")}");
                total += accepted[w][s] ? 1 : 0;
            }
        }

        Assert.True(total >= capacity, $"only {total} items went through a ring of {capacity}");
        Assert.False(ring.TryDequeue(out _, new float[Width], out _, out _, out _));
    }

    /// <summary>Runs a thread's body; an exception (a torn item read as null, say) is a failure, not a crashed test host.</summary>
    private static void Guard(System.Collections.Concurrent.ConcurrentQueue<string> failures, Action body, Action? @finally = null)
    {
        try
        {
            body();
        }
        catch (Exception ex)
        {
            failures.Enqueue($"{ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            @finally?.Invoke();
        }
    }

    /// <summary>One write: its writer and sequence number; every other field is derived from them, so a torn read shows.</summary>
    private sealed record Item(int Writer, int Seq)
    {
        private static readonly string[] Versions = Enumerable.Range(0, 16).Select(w => $"writer-{w}").ToArray();

        public static Guid Id(int writer, int seq) => new(seq, (short)writer, 7, 1, 2, 3, 4, 5, 6, 7, 8);

        public static string Version(int writer) => Versions[writer];

        public static long Timestamp(int writer, int seq, int perWriter) => ((long)writer * perWriter) + seq;

        public static void Outputs(int writer, int seq, Span<float> outputs)
        {
            for (var k = 0; k < outputs.Length; k++)
            {
                outputs[k] = (writer * 1_000_003f) + (seq * 3f) + k;
            }
        }
    }
}

// Every FsCheck property in the test projects replays from one fixed seed, so a run is deterministic and a failure
// reproduces exactly. Change the seed on purpose to explore new cases; a failure prints the seed to replay.
[assembly: FsCheck.Xunit.Properties(Replay = "(20261126,1)")]

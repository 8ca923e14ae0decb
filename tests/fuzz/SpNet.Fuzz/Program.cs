using SpNet.Fuzz;

// SpNet.Fuzz TARGET                 run TARGET under afl-fuzz (afl++ starts it; stdin or @@ file is the input)
// SpNet.Fuzz TARGET --replay PATH…  run every file under each PATH through TARGET once, uninstrumented or not;
//                                   exit 1 if any input breaks the target's contract (regressions, corpus checks)
// SpNet.Fuzz --list                 the target names
if (args.Length == 1 && args[0] == "--list")
{
    foreach (string name in FuzzTargets.Names)
    {
        Console.WriteLine(name);
    }
    return 0;
}
if (args.Length == 0 || !FuzzTargets.TryGet(args[0], out Action<byte[]>? target))
{
    Console.Error.WriteLine($"usage: SpNet.Fuzz TARGET [--replay PATH...] | --list   (targets: {string.Join(", ", FuzzTargets.Names)})");
    return 2;
}
if (args.Length >= 2 && args[1] == "--replay")
{
    return Replay.Run(args[0], target!, args[2..]);
}
SharpFuzz.Fuzzer.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target!(buffer.ToArray());
});
return 0;

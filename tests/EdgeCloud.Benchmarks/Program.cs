using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(EdgeCloud.Benchmarks.OutboxAppendBenchmarks).Assembly).Run(args);

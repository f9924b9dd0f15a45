using BenchmarkDotNet.Running;
using OrleansReminders.Benchmarks.Api;
using OrleansReminders.Benchmarks.Memory;
using OrleansReminders.Benchmarks.Rate;
using OrleansReminders.Benchmarks.Schedulers;
using OrleansReminders.Benchmarks.Templates;
using OrleansReminders.Benchmarks.Transitions;

// Load-driver modes, everything else goes to BenchmarkDotNet (see tests/BENCHMARKS.md):
//   dotnet run -c Release --project tests/OrleansReminders.Benchmarks -- transitions [--seconds 20] [--concurrency 64] [--keys 5000]
//   dotnet run -c Release --project tests/OrleansReminders.Benchmarks -- memory [--grains 20000]
//   dotnet run -c Release --project tests/OrleansReminders.Benchmarks -- rate [--rate 500] [--seconds 60] [--silos 3] [--dispatchers 8]
//   dotnet run -c Release --project tests/OrleansReminders.Benchmarks -- api [--rate 2000] [--seconds 15] [--borrowers 1000] [--import 20000]
//   dotnet run -c Release --project tests/OrleansReminders.Benchmarks -- schedulers [--seconds 30] [--factor 10] [--period 10] [--hangfire-entities 2000] [--hangfire-workers 20]
//   dotnet run -c Release --project tests/OrleansReminders.Benchmarks -- templates [--rounds 40] [--renders 20000]
//   dotnet run -c Release --project tests/OrleansReminders.Benchmarks -- --filter '*Policy*'
try
{
    return args.FirstOrDefault() switch
    {
        "transitions" => await TransitionsCommand.RunAsync(args[1..]),
        "memory" => await MemoryCommand.RunAsync(args[1..]),
        "rate" => await RateCommand.RunAsync(args[1..]),
        "api" => await ApiCommand.RunAsync(args[1..]),
        "schedulers" => await SchedulersCommand.RunAsync(args[1..]),
        "templates" => TemplatesCommand.Run(args[1..]),
        _ => RunBenchmarkDotNet(args),
    };
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

static int RunBenchmarkDotNet(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(OrleansReminders.Benchmarks.CommandLine).Assembly).Run(args);
    return 0;
}


using System.Diagnostics;
using System.Globalization;
using OrleansReminders.Domain.Templates;

namespace OrleansReminders.Benchmarks.Templates;

/// <summary>
/// <c>templates</c>: the service's Fluid render against the former Handlebars.Net render, timed in pairs in one
/// process so that a change in the machine's load falls on both sides of a pair. Each round renders a block
/// of messages with one renderer, then the same block with the other (the order alternates by round), on one
/// thread, and gives one ratio Fluid/Handlebars; the figures are the median and spread of those ratios, per
/// body (English and Chinese), with each side's median time and bytes allocated per render.
/// </summary>
public static class TemplatesCommand
{
    private const int WarmUpRenders = 50_000;

    public static int Run(string[] args)
    {
        var options = new CommandLine(args);
        var rounds = options.Int("--rounds", 40, 2, 10_000);
        var renders = options.Int("--renders", 20_000, 100, 10_000_000);
        options.RejectUnknown();

        Console.WriteLine($"templates: {rounds} rounds of {renders:N0} renders per side, {Environment.ProcessorCount} cores, .NET {Environment.Version}, {BuildConfiguration.Name} build, server GC {System.Runtime.GCSettings.IsServerGC}");
        Console.WriteLine(MachineLoad.Describe());
        BuildConfiguration.WarnIfDebug();

        var linter = new TemplateLinter();
        var fluid = new TemplateRenderer();
        var handlebars = new HandlebarsRenderer();
        var values = BenchTemplates.Values;
        foreach (var (label, body, locale) in new[] { ("English", BenchTemplates.EnglishBody, "en-US"), ("Chinese", BenchTemplates.ChineseBody, "zh-CN") })
        {
            var template = BenchTemplates.Approved(body, locale, linter);
            var expected = fluid.RenderForSending(template, values).Text;
            if (handlebars.Render(template, values).Text != expected)
            {
                throw new InvalidOperationException($"{label}: the two renderers disagree; nothing to compare");
            }

            var sides = new[]
            {
                new Side("Fluid", () => fluid.RenderForSending(template, values)),
                new Side("Handlebars", () => handlebars.Render(template, values)),
            };
            foreach (var side in sides)
            {
                side.Time(WarmUpRenders, record: false);
            }

            var ratios = new List<double>(rounds);
            for (var round = 0; round < rounds; round++)
            {
                var order = round % 2 == 0 ? sides : [sides[1], sides[0]];
                var first = order[0].Time(renders);
                var second = order[1].Time(renders);
                ratios.Add(round % 2 == 0 ? first.Nanoseconds / second.Nanoseconds : second.Nanoseconds / first.Nanoseconds);
            }

            ratios.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label}: Fluid/Handlebars median {Percentile(ratios, 0.5):F2} (p10 {Percentile(ratios, 0.1):F2}, p90 {Percentile(ratios, 0.9):F2}, lowest {ratios[0]:F2}, highest {ratios[^1]:F2}); " +
                $"{ratios.Count(r => r <= 1.0)} of {rounds} rounds ≤ 1.00"));
            foreach (var side in sides)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {side.Name,-10} median {side.MedianNanoseconds:N0} ns per render, {side.BytesPerRender:N0} B allocated per render"));
            }
        }

        return 0;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Round(p * (sorted.Count - 1))];

    private sealed class Side(string name, Func<RenderedMessage> render)
    {
        private readonly List<double> _nanoseconds = [];
        private long _bytes;
        private long _count;

        public string Name => name;

        public double MedianNanoseconds => _nanoseconds.Order().ElementAt(_nanoseconds.Count / 2);

        public double BytesPerRender => (double)_bytes / _count;

        public (double Nanoseconds, long Bytes) Time(int renders, bool record = true)
        {
            var bytesBefore = GC.GetAllocatedBytesForCurrentThread();
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < renders; i++)
            {
                render();
            }

            var nanoseconds = Stopwatch.GetElapsedTime(started).TotalNanoseconds / renders;
            var bytes = GC.GetAllocatedBytesForCurrentThread() - bytesBefore;
            if (record)
            {
                _nanoseconds.Add(nanoseconds);
                _bytes += bytes;
                _count += renders;
            }

            return (nanoseconds, bytes);
        }
    }
}

using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace OrleansReminders.Silo.Tests.Hosting;

/// <summary>
/// Stopping the embedded default after borrowers sent messages logs no errors: their in-memory state dies
/// with the silo, so they do not race its storage grains with a last write.
/// </summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task StoppingTheEmbeddedHostAfterSendingLogsNoErrors()
    {
        var sink = new ErrorSink();
        await using (var host = await ServiceHost.StartAsync(new Dictionary<string, string?>(), builder => builder.Services.AddSingleton<ILogEventSink>(sink)))
        {
            for (var i = 0; i < 20; i++)
            {
                var grain = await host.BorrowerWithADueMessageAsync($"stop-{i}", $"+86138123456{i:D2}");
                var status = await grain.GetStatusAsync();
                Assert.Equal(1, status!.Counts.Sent + status.PendingMessages); // with its dispatcher, or already sent
            }
        }

        Assert.True(!sink.Errors.Any(), string.Join("\n", sink.Errors.Distinct().Take(12)));
    }

    private sealed class ErrorSink : ILogEventSink
    {
        private readonly ConcurrentQueue<string> _errors = new();

        public IEnumerable<string> Errors => _errors;

        public void Emit(LogEvent logEvent)
        {
            if (logEvent.Level >= LogEventLevel.Error)
            {
                _errors.Enqueue($"{logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture)} {logEvent.Exception?.GetType().Name}");
            }
        }
    }
}

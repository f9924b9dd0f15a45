using OrleansReminders.Silo.Endpoints;
using OrleansReminders.Silo.Hosting;
using Serilog;

var builder = WebApplication.CreateBuilder(args);
builder.AddLogging();
builder.AddDomainConfiguration();
builder.AddSilo();
builder.AddMessaging();

var app = builder.Build();
app.UseSerilogRequestLogging();
app.MapGet("/", () => TypedResults.Ok(new { service = "OrleansReminders" }));
app.MapWebhooks();
app.LogStartupMode();
app.Run();

public partial class Program;

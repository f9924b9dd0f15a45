using OrleansReminders.Silo.Demo;
using OrleansReminders.Silo.Hosting;
using OrleansReminders.Silo.Security;

var app = ServiceApp.Build(WebApplication.CreateBuilder(DemoOptions.RewriteArguments(args)));
app.LogStartupMode();
app.LogTemporaryKey();
app.Run();

public partial class Program;

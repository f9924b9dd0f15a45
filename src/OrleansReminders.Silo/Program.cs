using OrleansReminders.Silo.Hosting;
using OrleansReminders.Silo.Security;

var app = ServiceApp.Build(WebApplication.CreateBuilder(args));
app.LogStartupMode();
app.LogTemporaryKey();
app.Run();

public partial class Program;

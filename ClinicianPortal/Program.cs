using ClinicianPortal.Cli;
using ClinicianPortal.Components;

if (CommandLine.IsCommand(args)) return await CommandLine.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);
// Package assets (_content/...) are served from the build output in every environment, so that
// `dotnet run` works the same in Development and Production (publish output has them in wwwroot).
builder.WebHost.UseStaticWebAssets();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddClinicianUi();

var app = builder.Build();
app.UseStaticFiles();
app.UseAntiforgery();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
await app.RunAsync();
return 0;

public partial class Program;

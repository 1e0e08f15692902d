using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.JSInterop;

namespace ClinicianPortal.Tests.Components;

/// <summary>
/// Renders a component to HTML with ASP.NET Core's static <see cref="HtmlRenderer"/> (bunit does not
/// restore on the project's feed). JS calls are ignored: static markup never reaches the browser.
/// </summary>
public sealed class StaticRenderer : IAsyncDisposable
{
    private readonly ServiceProvider services;
    private readonly HtmlRenderer renderer;

    public StaticRenderer(Action<IServiceCollection>? configure = null)
    {
        var collection = new ServiceCollection();
        collection.AddLogging();
        collection.AddSingleton<IJSRuntime, NoOpJSRuntime>();
        collection.AddSingleton<NavigationManager, TestNavigationManager>();
        configure?.Invoke(collection);
        services = collection.BuildServiceProvider();
        renderer = new HtmlRenderer(services, services.GetRequiredService<ILoggerFactory>());
    }

    public Task<string> RenderAsync<TComponent>(Dictionary<string, object?>? parameters = null) where TComponent : IComponent =>
        renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters ?? []));
            return output.ToHtmlString();
        });

    /// <summary>The markup with character references decoded (the renderer writes "+" as "&amp;#x2B;"), for text assertions.</summary>
    public static string Decoded(string html) => System.Net.WebUtility.HtmlDecode(html);

    /// <summary>The text directly inside the element with that data-testid (scoped-CSS attributes may follow it).</summary>
    public static string? TextOf(string html, string testId)
    {
        var match = System.Text.RegularExpressions.Regex.Match(html, $"data-testid=\"{testId}\"[^>]*>([^<]*)<");
        return match.Success ? Decoded(match.Groups[1].Value) : null;
    }

    public async ValueTask DisposeAsync()
    {
        await renderer.DisposeAsync();
        await services.DisposeAsync();
    }

    private sealed class NoOpJSRuntime : IJSRuntime
    {
        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, object?[]? args) => ValueTask.FromResult(default(TValue)!);
        public ValueTask<TValue> InvokeAsync<TValue>(string identifier, CancellationToken cancellationToken, object?[]? args) => ValueTask.FromResult(default(TValue)!);
    }

    private sealed class TestNavigationManager : NavigationManager
    {
        public TestNavigationManager() => Initialize("http://localhost/", "http://localhost/patients");
    }
}

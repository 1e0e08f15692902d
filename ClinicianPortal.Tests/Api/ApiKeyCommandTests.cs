using ClinicianPortal.Tests.Infrastructure;
using ClinicianPortal.Cli;
using ClinicianPortal.Tests.Import;

namespace ClinicianPortal.Tests.Api;

/// <summary>The `apikey` verb against a temporary SQLite folder (configured through the environment, as in production).</summary>
[Collection(nameof(ConsoleAndEnvironment))]
public sealed class ApiKeyCommandTests : IDisposable
{
    private readonly CliDataFolder folder = new();

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await ApiKeyCommand.RunAsync(args, output, error);
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Create_prints_the_key_once_list_shows_it_without_the_secret_and_revoke_revokes_it()
    {
        var (created, output, _) = await RunAsync("create", "--name", "lab system", "--scopes", "read,import", "--rate", "120");
        Assert.Equal(0, created);
        var token = output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("cpk_", StringComparison.Ordinal));
        var id = token.Split('_')[1];

        var (listed, list, _) = await RunAsync("list");
        Assert.Equal(0, listed);
        Assert.Contains(id, list, StringComparison.Ordinal);
        Assert.Contains("read,import", list, StringComparison.Ordinal);
        Assert.Contains("120", list, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('_')[2], list, StringComparison.Ordinal);

        Assert.Equal(0, (await RunAsync("revoke", id)).ExitCode);
        var (again, _, error) = await RunAsync("revoke", id);
        Assert.Equal(1, again);
        Assert.Contains(id, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("create", "--name", "x")]
    [InlineData("create", "--name", "x", "--scopes", "read,admin")]
    [InlineData("create", "--name", "x", "--scopes", "read", "--rate", "fast")]
    [InlineData("revoke")]
    [InlineData("rotate")]
    public async Task Bad_usage_exits_with_2_and_says_why(params string[] args)
    {
        var (exitCode, _, error) = await RunAsync(args);
        Assert.Equal(2, exitCode);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    public void Dispose() => folder.Dispose();
}

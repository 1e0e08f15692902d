using System.Net;
using ClinicianPortal.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ClinicianPortal.Tests.Identity;

/// <summary>
/// An administrator's changes reach users who are already signed in, on their next request (the whole app, real cookies);
/// and sign-in cookies survive a restart because the data-protection keys live in the data folder.
/// </summary>
public sealed class SessionValidationTests : IAsyncLifetime
{
    private const string Password = "a long enough passphrase";
    private readonly IdentityTestApp app = new();
    private UserAdministration Admin => app.Factory.Services.GetRequiredService<UserAdministration>();
    private string adminId = "";

    public async Task InitializeAsync()
    {
        using var admin = await app.SignedInClientAsync(Roles.Admin); // the demo users exist once the app has started
        adminId = (await app.Factory.Services.GetRequiredService<UserStore>().FindByNameAsync(Roles.Admin))!.Id;
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<(HttpClient Client, string UserId)> NewSignedInUserAsync(string name, string role)
    {
        Assert.True((await Admin.CreateAsync(name, role, Password)).Succeeded);
        var client = app.NewClient();
        using var login = await IdentityTestApp.PostLoginAsync(client, name, Password);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var id = (await app.Factory.Services.GetRequiredService<UserStore>().FindByNameAsync(name))!.Id;
        return (client, id);
    }

    private static async Task<string> OutcomeAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return Outcome(response);
    }

    /// <summary>"200", or the path redirected to ("/login", "/access-denied"), or the status code.</summary>
    private static string Outcome(HttpResponseMessage response) => response switch
    {
        { StatusCode: HttpStatusCode.OK } => "200",
        { Headers.Location: { IsAbsoluteUri: true } location } => location.AbsolutePath,
        { Headers.Location: { } location } => location.OriginalString.Split('?')[0],
        _ => ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task A_changed_role_applies_to_the_users_next_request_without_signing_in_again()
    {
        var (client, id) = await NewSignedInUserAsync("dr.role", Roles.Physician);
        Assert.Equal("200", await OutcomeAsync(client, "/patients"));
        Assert.Equal("/access-denied", await OutcomeAsync(client, "/validation"));

        Assert.True((await Admin.ChangeRoleAsync(id, Roles.Validator)).Succeeded);

        Assert.Equal("/access-denied", await OutcomeAsync(client, "/patients"));
        Assert.Equal("200", await OutcomeAsync(client, "/validation"));
        client.Dispose();
    }

    [Fact]
    public async Task A_disabled_user_is_signed_out_on_the_next_request()
    {
        var (client, id) = await NewSignedInUserAsync("dr.gone", Roles.Physician);
        Assert.Equal("200", await OutcomeAsync(client, "/patients"));

        Assert.True((await Admin.DisableAsync(adminId, id)).Succeeded);

        Assert.Equal("/login", await OutcomeAsync(client, "/patients"));
        using var again = await IdentityTestApp.PostLoginAsync(client, "dr.gone", Password);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode); // the form again, with the reason
        Assert.Contains("disabled", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        client.Dispose();
    }

    [Fact]
    public async Task A_reset_password_ends_the_sessions_signed_in_with_the_old_one()
    {
        var (client, id) = await NewSignedInUserAsync("dr.reset", Roles.CareTeam);
        Assert.Equal("200", await OutcomeAsync(client, "/patients"));

        Assert.True((await Admin.ResetPasswordAsync(id, "the new passphrase here")).Succeeded);

        Assert.Equal("/login", await OutcomeAsync(client, "/patients"));
        using var login = await IdentityTestApp.PostLoginAsync(client, "dr.reset", "the new passphrase here");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("200", await OutcomeAsync(client, "/patients"));
        client.Dispose();
    }

    [Fact]
    public async Task A_sign_in_cookie_is_accepted_by_another_instance_on_the_same_data_folder_only()
    {
        using var first = app.NewClient();
        using var login = await IdentityTestApp.PostLoginAsync(first, Roles.Physician, IdentityTestApp.DemoPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("ClinicianPortal.Auth=", StringComparison.Ordinal)).Split(';')[0];
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(app.DataDirectory, ClinicianPortal.Identity.IdentityServiceCollectionExtensions.DataProtectionKeysFolder), "key-*.xml"));

        await using var restarted = new IdentityTestApp(dataDirectory: app.DataDirectory);
        await using var elsewhere = new IdentityTestApp();
        Assert.Equal("200", await GetWithCookieAsync(restarted, cookie));
        Assert.Equal("/login", await GetWithCookieAsync(elsewhere, cookie));
    }

    private static async Task<string> GetWithCookieAsync(IdentityTestApp instance, string cookie)
    {
        using var client = instance.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/patients", UriKind.Relative));
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        return Outcome(response);
    }
}

using ClinicianPortal.Api.CdsHooks;
using Microsoft.Extensions.Configuration;

namespace ClinicianPortal.Tests.Api;

/// <summary>CdsHooks:PortalBaseUrl, the address the cards link back to.</summary>
public sealed class CdsHooksOptionsTests
{
    private static CdsHooksOptions From(string? value) =>
        CdsHooksOptions.From(new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create("CdsHooks:PortalBaseUrl", value)]).Build());

    [Theory]
    [InlineData("https://portal.example.org/", "https://portal.example.org")]
    [InlineData("http://10.0.0.5:8080/portal", "http://10.0.0.5:8080/portal")]
    [InlineData(null, "http://localhost:5080")]
    public void The_configured_base_url_is_used_without_a_trailing_slash(string? configured, string expected)
    {
        Assert.Equal(expected, From(configured).PortalBaseUrl);
    }

    [Theory]
    [InlineData("portal.example.org")]
    [InlineData("ftp://portal.example.org")]
    [InlineData("https://portal.example.org/?x=1")]
    public void A_base_url_that_cannot_make_a_link_is_refused_naming_the_setting(string configured)
    {
        var error = Assert.Throws<InvalidOperationException>(() => From(configured));
        Assert.Contains("CdsHooks:PortalBaseUrl", error.Message, StringComparison.Ordinal);
    }
}

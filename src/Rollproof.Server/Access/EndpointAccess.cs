using Microsoft.AspNetCore.Builder;

namespace Rollproof.Server.Access;

/// <summary>
/// Who may call an endpoint. Every endpoint declares one with <see cref="EndpointAccessExtensions.Allow{TBuilder}"/>;
/// the access checks enforce it, and a test fails for an endpoint that declares none, so none is open by omission.
/// </summary>
public sealed record EndpointAccess(string Name, bool TokenRequired)
{
    /// <summary>Anyone, without a token: what a transparency log publishes for the world (tiles, checkpoints, health).</summary>
    public static EndpointAccess Public { get; } = new("public", TokenRequired: false);

    /// <summary>Any actor with a valid token; what the request carries is then checked against that actor's keys.</summary>
    public static EndpointAccess Actor { get; } = new("actor", TokenRequired: true);
}

public static class EndpointAccessExtensions
{
    public static TBuilder Allow<TBuilder>(this TBuilder endpoint, EndpointAccess access) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(access);
}

using Microsoft.AspNetCore.Builder;

namespace Rollproof.Server.Access;

/// <summary>
/// Who may call an endpoint. Every endpoint declares one with <see cref="EndpointAccessExtensions.Allow{TBuilder}"/>;
/// <see cref="AccessChecks"/> enforces it, and the server refuses to start with an endpoint that declares none
/// (<see cref="EndpointDeclarations"/>), so none is open by omission.
/// </summary>
/// <param name="TokenRequired">A valid token must come with the request (401 without one).</param>
/// <param name="SignerRequired">The token's name must hold a key valid now in the store's trust (403 for an auditor's token).</param>
public sealed record EndpointAccess(string Name, bool TokenRequired, bool SignerRequired)
{
    /// <summary>Anyone, without a token: what a transparency log publishes for the world (tiles, checkpoints, health).</summary>
    public static EndpointAccess Public { get; } = new("public", TokenRequired: false, SignerRequired: false);

    /// <summary>Any token holder: a name the trust gives a valid key, or an auditor's token (reads only).</summary>
    public static EndpointAccess Reader { get; } = new("reader", TokenRequired: true, SignerRequired: false);

    /// <summary>
    /// A token whose name holds a key valid now in the store's trust; what the request carries is then checked
    /// against that key (<see cref="ActorContext.MaySign"/>).
    /// </summary>
    public static EndpointAccess Actor { get; } = new("actor", TokenRequired: true, SignerRequired: true);
}

public static class EndpointAccessExtensions
{
    public static TBuilder Allow<TBuilder>(this TBuilder endpoint, EndpointAccess access) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(access);
}

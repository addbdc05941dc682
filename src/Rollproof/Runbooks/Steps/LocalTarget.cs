using Rollproof.Common;
using Rollproof.Targets;

namespace Rollproof.Runbooks.Steps;

/// <summary>The settings the local target's steps share: its folder (<c>local</c>: releases/, slots/, logs/) and the slot.</summary>
internal static class LocalTarget
{
    public const string Needs = "'local' (the local target's folder) and a 'slot' (" + Names.Rule + ")";

    public static string? Root(IReadOnlyDictionary<string, string> parameters, StepContext context) =>
        Templates.Apply(parameters.GetValueOrDefault("local", ""), context.Values) is { Length: > 0 } root ? root : null;

    public static string? Slot(IReadOnlyDictionary<string, string> parameters) =>
        parameters.TryGetValue("slot", out var slot) && Names.IsValid(slot) ? slot : null;
}

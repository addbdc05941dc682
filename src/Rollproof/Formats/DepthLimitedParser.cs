using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Rollproof.Formats;

/// <summary>
/// A YAML parser that refuses a document nested deeper than <paramref name="maxDepth"/> collections as soon as the
/// event that goes too deep is read. YamlDotNet has no depth limit and builds nodes by recursion, so a few kilobytes
/// of <c>[[[[</c> would overflow the stack before any check on the built nodes could run.
/// </summary>
internal sealed class DepthLimitedParser(string yaml, int maxDepth, string what) : IParser
{
    private readonly Parser _parser = new(new StringReader(yaml));
    private int _depth;

    public ParsingEvent? Current => _parser.Current;

    public bool MoveNext()
    {
        if (!_parser.MoveNext())
            return false;
        switch (_parser.Current)
        {
            case MappingStart or SequenceStart when ++_depth > maxDepth:
                throw new YamlFieldException($"line {_parser.Current.Start.Line}: the {what} is nested deeper than {maxDepth} levels");
            case MappingEnd or SequenceEnd:
                _depth--;
                break;
        }
        return true;
    }
}

namespace Rollproof.Transparency;

/// <summary>
/// Reads the hash of a perfect subtree: the node at <c>height</c> h and <c>index</c> k covers leaves [k·2^h, (k+1)·2^h).
/// Callers only ask for nodes that lie wholly inside the tree they prove against.
/// </summary>
public interface INodeSource
{
    byte[] GetNode(int height, long index);
}

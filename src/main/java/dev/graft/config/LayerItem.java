package dev.graft.config;

/** One item of graft.yaml's {@code layers}: a layer written out, or a use of a recipe. */
sealed interface LayerItem permits LayerItem.Written, RecipeUse {
  /** A layer written out in full. */
  record Written(LayerDraft draft) implements LayerItem {}
}

import { useState } from 'react';
import type { ReactElement, ReactNode } from 'react';
import { PencilIcon, TrashIcon } from '../Icon';
import { ArrowDownIcon, ArrowUpIcon, EyeIcon, ImagePlusIcon, LockIcon } from './icons';
import type { Layer } from './model';
import { deleteLayer, moveLayerOf, selectLayer, updateLayerOf, useEditorStore } from './store';

const Tool = ({
  label,
  onClick,
  children,
  disabled,
  pressed,
}: {
  label: string;
  onClick: () => void;
  children: ReactNode;
  disabled?: boolean;
  pressed?: boolean;
}): ReactElement => (
  <button
    type="button"
    className="ss-layer__tool"
    aria-label={label}
    title={label}
    disabled={disabled}
    aria-pressed={pressed}
    onClick={onClick}
  >
    {children}
  </button>
);

const NameField = ({ layer, done }: { layer: Layer; done: () => void }): ReactElement => {
  const [value, setValue] = useState(layer.name);
  const save = (): void => {
    const name = value.replace(/\s+/g, ' ').trim();
    if (name) updateLayerOf(layer.id, { name: name.slice(0, 200) });
    done();
  };
  return (
    <input
      className="ss-layer__input"
      aria-label={`Name of layer “${layer.name}”`}
      value={value}
      maxLength={200}
      // The field appears because the user asked to rename: it takes the focus at once.
      autoFocus
      onChange={(event) => setValue(event.target.value)}
      onFocus={(event) => event.target.select()}
      onBlur={save}
      onKeyDown={(event) => {
        if (event.key === 'Enter') save();
        else if (event.key === 'Escape') {
          event.stopPropagation();
          done();
        }
      }}
    />
  );
};

const Row = ({ layer, index, count }: { layer: Layer; index: number; count: number }): ReactElement => {
  const selected = useEditorStore((s) => s.selectedId === layer.id);
  const url = useEditorStore((s) => s.urls[layer.imageId]);
  const [renaming, setRenaming] = useState(false);
  const name = layer.name || 'Untitled';
  return (
    <li
      className={`ss-layer${selected ? ' ss-layer--selected' : ''}${layer.visible ? '' : ' ss-layer--hidden'}`}
      data-testid="layer"
      data-layer-id={layer.id}
      data-geometry={`${Math.round(layer.x)},${Math.round(layer.y)},${layer.scaleX.toFixed(3)},${layer.scaleY.toFixed(3)}`}
    >
      {url ? <img className="ss-layer__thumb" src={url.replace(/\.png$/, '.thumb.webp')} alt="" /> : null}
      {renaming ? (
        <NameField layer={layer} done={() => setRenaming(false)} />
      ) : (
        <button
          type="button"
          className="ss-layer__name"
          aria-pressed={selected}
          title={name}
          onClick={() => selectLayer(selected ? undefined : layer.id)}
          onDoubleClick={() => setRenaming(true)}
        >
          {name}
        </button>
      )}
      <div className="ss-layer__tools">
        <Tool label={`Rename “${name}”`} onClick={() => setRenaming(true)}>
          <PencilIcon size={14} />
        </Tool>
        <Tool
          label={layer.visible ? `Hide “${name}”` : `Show “${name}”`}
          onClick={() => updateLayerOf(layer.id, { visible: !layer.visible })}
        >
          <EyeIcon size={14} off={!layer.visible} />
        </Tool>
        <Tool
          label={layer.locked ? `Unlock “${name}”` : `Lock “${name}”`}
          onClick={() => updateLayerOf(layer.id, { locked: !layer.locked })}
        >
          <LockIcon size={14} open={!layer.locked} />
        </Tool>
        <Tool label={`Move “${name}” up`} disabled={index === count - 1} onClick={() => moveLayerOf(layer.id, 'up')}>
          <ArrowUpIcon size={14} />
        </Tool>
        <Tool label={`Move “${name}” down`} disabled={index === 0} onClick={() => moveLayerOf(layer.id, 'down')}>
          <ArrowDownIcon size={14} />
        </Tool>
        <Tool label={`Delete “${name}”`} onClick={() => deleteLayer(layer.id)}>
          <TrashIcon size={14} />
        </Tool>
      </div>
    </li>
  );
};

/** The layer list, top layer first (as drawn: the first row covers the others). */
export const Layers = ({ onAdd }: { onAdd: () => void }): ReactElement => {
  const layers = useEditorStore((s) => s.stack.present.layers);
  return (
    <aside className="ss-layers" aria-label="Layers">
      <div className="ss-layers__head">
        <h2 className="ss-layers__title">Layers</h2>
        <button
          type="button"
          className="ss-layer__tool"
          aria-label="Add image from a file"
          title="Add image from a file"
          onClick={onAdd}
        >
          <ImagePlusIcon size={15} />
        </button>
      </div>
      {layers.length === 0 ? (
        <p className="ss-layers__empty">No layers yet.</p>
      ) : (
        <ol className="ss-layers__list">
          {layers
            .map((layer, index) => ({ layer, index }))
            .reverse()
            .map(({ layer, index }) => (
              <Row key={layer.id} layer={layer} index={index} count={layers.length} />
            ))}
        </ol>
      )}
    </aside>
  );
};

import './style.css';

export { StylePicker } from './StylePicker';
export { thumbnailOf } from './thumbnails';

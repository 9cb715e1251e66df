import './generation.css';
import './sidebar.css';

/**
 * The Generate tab's views: the sidebar and the stream of generations. They compose the
 * features below them (Generation's state, Style, Upload, History, Viewer); nothing imports them but App.
 */
export { Sidebar as GenerationSidebar } from './Sidebar';
export { Stream as GenerationStream } from './Stream';
export { DreamAnnouncer } from './Announcer';
